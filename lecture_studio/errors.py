"""The exceptions a person can act on: each carries one sentence for the CLI and the editor."""

from __future__ import annotations


class LectureStudioError(Exception):
    """A failure with a message meant for the teacher (what failed, which file, what to do)."""

    exit_code = 1

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else type(self).__name__


class InputError(LectureStudioError):
    """The input file cannot be used as it is (wrong format, damaged, empty...)."""

    exit_code = 2


class UnsupportedFormatError(InputError):
    """A file of a kind we do not read (legacy .ppt, not a presentation, lock file)."""


class CorruptFileError(InputError):
    """A damaged or truncated file, or a zip whose sizes are absurd."""


class EncryptedFileError(InputError):
    """A password-protected deck."""


class EmptyDeckError(InputError):
    """A deck or outline with no slides."""


class MissingAssetError(InputError):
    """An outline names an image that does not exist."""


class PictureError(InputError):
    """A picture that is not an image we decode, or too large to decode safely."""


class ProjectFormatError(InputError):
    """A project file that is damaged or from a newer version."""


class RenderError(LectureStudioError):
    """Slides could not be turned into images (e.g. LibreOffice failed)."""


class ExportError(LectureStudioError):
    """The video could not be written (disk full, folder not writable...)."""


class Cancelled(LectureStudioError):
    """The user cancelled a long job."""

    exit_code = 130
