"""Build glue pyproject.toml cannot express: ship the top-level resources/ folder inside the
package, as lecture_studio/bundled_resources (see lecture_studio/resources.py)."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["lecture_studio*"]), "lecture_studio.bundled_resources"],
    package_dir={"lecture_studio.bundled_resources": "resources"},
)
