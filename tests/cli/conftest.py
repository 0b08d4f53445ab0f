"""Fixtures of the CLI's tests: the tiny offline diffusion pipeline for the imagery commands
(instruments.tiny_diffusion; torch loads only in the tests that use it)."""

from instruments.tiny_diffusion import (  # noqa: F401 - fixtures, found by name
    fake_hf_cache,
    offline_home,
    tiny_commit,
    tiny_model_dir,
    tiny_model_id,
)
