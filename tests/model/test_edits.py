import pytest

from lecture_studio.model import (
    DeleteSlide,
    DuplicateSlide,
    EditHistory,
    EditScript,
    HideSlide,
    InsertSlide,
    Lecture,
    MoveSlide,
    SetProperty,
    Slide,
    TransitionSpec,
)


def make_lecture(n: int = 4) -> Lecture:
    return Lecture(title="L", slides=[Slide(title=f"S{i}", script=f"text {i}") for i in range(n)])


def titles(lecture: Lecture) -> list[str]:
    return [s.title for s in lecture.slides]


def test_every_command_undoes_and_redoes_exactly():
    lecture = make_lecture()
    history = EditHistory(lecture)
    ids = [s.id for s in lecture.slides]
    commands = [
        InsertSlide(1, Slide(title="new")),
        DeleteSlide(ids[2]),
        MoveSlide(ids[0], 3),
        DuplicateSlide(ids[1]),
        HideSlide(ids[3]),
        EditScript(ids[1], "changed"),
        SetProperty(ids[1], "transition", TransitionSpec("crossfade", 0.6)),
        SetProperty(None, "output.fps", 25),
    ]
    snapshots = []
    for command in commands:
        snapshots.append(repr(lecture))
        history.do(command)
    after = repr(lecture)
    for snapshot in reversed(snapshots):
        history.undo()
        assert repr(lecture) == snapshot
    assert not history.can_undo
    for _ in commands:
        history.redo()
    assert repr(lecture) == after


def test_move_and_duplicate_positions():
    lecture = make_lecture()
    history = EditHistory(lecture)
    history.do(MoveSlide(lecture.slides[0].id, 2))
    assert titles(lecture) == ["S1", "S2", "S0", "S3"]
    history.do(DuplicateSlide(lecture.slides[0].id))
    assert titles(lecture) == ["S1", "S1", "S2", "S0", "S3"]
    assert lecture.slides[0].id != lecture.slides[1].id


def test_edits_find_slides_by_id_after_reordering():
    lecture = make_lecture()
    history = EditHistory(lecture)
    target = lecture.slides[3].id
    history.do(MoveSlide(target, 0))
    history.do(EditScript(target, "hello"))
    assert lecture.slides[0].script == "hello"


def test_clean_mark_tracks_unsaved_changes():
    lecture = make_lecture()
    history = EditHistory(lecture)
    assert history.is_clean
    history.do(EditScript(lecture.slides[0].id, "a"))
    assert not history.is_clean
    history.mark_clean()
    history.undo()
    assert not history.is_clean
    history.redo()
    assert history.is_clean
    history.undo()
    history.do(EditScript(lecture.slides[0].id, "b"))
    assert not history.is_clean


def test_unknown_property_is_refused():
    lecture = make_lecture()
    with pytest.raises(AttributeError):
        EditHistory(lecture).do(SetProperty(lecture.slides[0].id, "duration.colour", "red"))
