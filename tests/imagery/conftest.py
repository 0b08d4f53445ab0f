"""The imagery tests' fixtures: the tiny offline diffusion pipeline (instruments.tiny_diffusion)."""

from instruments.tiny_diffusion import (  # noqa: F401 - fixtures, found by name
    fake_hf_cache,
    offline_home,
    tiny_commit,
    tiny_model_dir,
    tiny_model_id,
)
