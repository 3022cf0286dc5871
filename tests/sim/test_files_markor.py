"""Markor (notes in the shared filesystem) and Files (move, copy, rename, delete)."""

from __future__ import annotations

import pytest

from artemis.sim.phone import Phone
from artemis.sim.state import NOTES_DIR
from tests.sim.helpers import EDIT, has_text, long_press, node, open_app, scroll_down, tap_node


@pytest.fixture
def markor() -> Phone:
    p = Phone(seed=9)
    open_app(p, "Markor")
    return p


def test_markor_lists_the_notebook(markor: Phone) -> None:
    for name in ("Ideas.txt", "Meeting notes.md", "Recipes.md", "Shopping list.md"):
        assert has_text(markor, name)


def test_create_a_note_and_it_is_a_file(markor: Phone) -> None:
    tap_node(markor, desc="Create a new file")
    markor.input_text("Packing")
    tap_node(markor, "Plain text")
    tap_node(markor, "OK")
    assert markor.foreground()[1] == ".activity.DocumentActivity"
    assert markor.fs.read(f"{NOTES_DIR}/Packing.txt") == b""
    markor.input_text("passport")
    markor.keyevent(66)
    markor.input_text("charger")
    markor.keyevent(4)  # keyboard
    markor.keyevent(4)  # leaving saves
    assert markor.fs.read(f"{NOTES_DIR}/Packing.txt") == b"passport\ncharger"
    assert has_text(markor, "Packing.txt")


def test_new_file_name_must_be_free(markor: Phone) -> None:
    tap_node(markor, desc="Create a new file")
    markor.input_text("Ideas.txt")
    tap_node(markor, "OK")
    assert has_text(markor, '"Ideas.txt" already exists')


def test_new_folder_and_navigation(markor: Phone) -> None:
    tap_node(markor, desc="Create a new file")
    markor.input_text("Work")
    tap_node(markor, "Folder")
    assert markor.fs.is_dir(f"{NOTES_DIR}/Work")
    tap_node(markor, "Work")
    assert has_text(markor, "No files")
    markor.keyevent(4)
    assert has_text(markor, "Ideas.txt")


def test_edit_an_existing_note_with_save(markor: Phone) -> None:
    tap_node(markor, "Shopping list.md")
    body = node(markor, cls=EDIT)
    assert body.text.startswith("# Shopping list")
    assert not node(markor, desc="Save").flag("enabled")
    markor.tap(*body.center)
    markor.input_text("- Tea\n")
    tap_node(markor, desc="Save")
    assert markor.fs.read(f"{NOTES_DIR}/Shopping list.md").endswith(b"- Tea\n")
    assert not node(markor, desc="Save").flag("enabled")


def test_rename_from_the_editor_menu(markor: Phone) -> None:
    tap_node(markor, "Ideas.txt")
    tap_node(markor, desc="More options")
    tap_node(markor, "Rename")
    field = node(markor, "Ideas.txt", cls=EDIT)
    assert field.flag("focused")
    markor.swipe(*field.center, *field.center, 600)
    markor.input_text("Plans.txt")
    tap_node(markor, "OK")
    assert markor.fs.exists(f"{NOTES_DIR}/Plans.txt")
    assert not markor.fs.exists(f"{NOTES_DIR}/Ideas.txt")
    assert has_text(markor, "Plans.txt")  # the editor's title follows


def test_select_and_delete_notes(markor: Phone) -> None:
    long_press(markor, *node(markor, "Recipes.md").center)
    assert has_text(markor, "1 selected")
    tap_node(markor, "Ideas.txt")  # in selection mode a tap adds to the selection
    assert has_text(markor, "2 selected")
    assert not node(markor, desc="Rename").flag("enabled")
    tap_node(markor, desc="Delete")
    assert has_text(markor, "Delete 2 items?")
    tap_node(markor, "OK")
    assert not markor.fs.exists(f"{NOTES_DIR}/Recipes.md")
    assert not markor.fs.exists(f"{NOTES_DIR}/Ideas.txt")
    assert not has_text(markor, "2 selected")


def test_back_leaves_selection_mode_first(markor: Phone) -> None:
    long_press(markor, *node(markor, "Recipes.md").center)
    markor.keyevent(4)
    assert not has_text(markor, "1 selected")
    assert markor.foreground()[0] == "net.gsantner.markor"


def test_files_written_over_adb_show_up(markor: Phone) -> None:
    markor.fs.write(f"{NOTES_DIR}/From shell.md", b"hello")
    assert has_text(markor, "From shell.md")


# --- Files -------------------------------------------------------------------------------


@pytest.fixture
def files() -> Phone:
    p = Phone(seed=9)
    open_app(p, "Files")
    return p


def downloads(p: Phone) -> list[str]:
    entry = p.fs.lookup("/sdcard/Download")
    assert entry is not None and entry.children is not None
    return sorted(entry.children)


def test_browse_folders_and_open_a_text_file(files: Phone) -> None:
    assert has_text(files, "Pixel 6")
    tap_node(files, "Documents")
    assert has_text(files, "Pixel 6 > Documents")
    tap_node(files, "todo.txt")
    assert has_text(files, "Preview")
    assert node(files, rid="preview").text.startswith("Call the plumber")
    files.keyevent(4)
    files.keyevent(4)
    assert has_text(files, "Download")


def test_the_folder_list_scrolls(files: Phone) -> None:
    assert not has_text(files, "Ringtones")
    scroll_down(files)
    assert has_text(files, "Ringtones")


def test_rename_a_file(files: Phone) -> None:
    tap_node(files, "Download")
    first = downloads(files)[0]
    long_press(files, *node(files, first).center)
    tap_node(files, desc="More options")
    tap_node(files, "Rename")
    field = node(files, first, cls=EDIT)
    files.swipe(*field.center, *field.center, 600)
    files.input_text("renamed.pdf")
    tap_node(files, "OK")
    assert "renamed.pdf" in downloads(files)
    assert first not in downloads(files)
    assert has_text(files, "renamed.pdf")


def test_move_a_file_to_another_folder(files: Phone) -> None:
    tap_node(files, "Download")
    name = downloads(files)[0]
    long_press(files, *node(files, name).center)
    tap_node(files, desc="More options")
    tap_node(files, "Move to…")
    tap_node(files, "Documents")
    tap_node(files, "Markor")
    tap_node(files, "Move")
    assert files.fs.exists(f"/sdcard/Documents/Markor/{name}")
    assert name not in downloads(files)
    assert not has_text(files, name)


def test_copy_keeps_the_original(files: Phone) -> None:
    tap_node(files, "Download")
    name = downloads(files)[0]
    long_press(files, *node(files, name).center)
    tap_node(files, desc="More options")
    tap_node(files, "Copy to…")
    tap_node(files, "Pictures")
    tap_node(files, "Copy")
    assert files.fs.read(f"/sdcard/Pictures/{name}") == files.fs.read(f"/sdcard/Download/{name}")


def test_a_folder_cannot_move_into_itself(files: Phone) -> None:
    long_press(files, *node(files, "Documents").center)
    tap_node(files, desc="More options")
    tap_node(files, "Move to…")
    assert not node(files, "Documents").flag("enabled")
    tap_node(files, "Cancel")
    assert files.fs.is_dir("/sdcard/Documents")


def test_delete_after_confirming(files: Phone) -> None:
    tap_node(files, "Download")
    names = downloads(files)
    long_press(files, *node(files, names[0]).center)
    tap_node(files, desc="More options")
    tap_node(files, "Select all")
    assert has_text(files, f"{len(names)} selected")
    tap_node(files, desc="Delete")
    assert has_text(files, f"Delete {len(names)} items?")
    tap_node(files, "Delete")
    assert downloads(files) == []
    assert has_text(files, "No items")


def test_new_folder(files: Phone) -> None:
    tap_node(files, desc="More options")
    tap_node(files, "New folder")
    files.input_text("Trips")
    tap_node(files, "OK")
    assert files.fs.is_dir("/sdcard/Trips")
