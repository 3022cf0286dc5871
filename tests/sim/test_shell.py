from __future__ import annotations

import struct

import pytest

from artemis.sim.context import SimContext
from artemis.sim.faults import Faults
from artemis.sim.shell import new_shell, parse
from artemis.sim.shell.io import BufferWriter, BytesStdin
from artemis.sim.shell.screen_cmds import decode_input_text
from artemis.sim.shell.syntax import ShellSyntaxError
from tests.sim.conftest import FakeSleep
from tests.sim.fake_phone import FakePhone


class Run:
    def __init__(self, phone: FakePhone, sleep: FakeSleep | None = None) -> None:
        phone.fs.mkdir("/sdcard")
        self.ctx = SimContext(phone, Faults(), sleep or FakeSleep())
        self.phone = phone

    async def __call__(self, script: str, stdin: bytes = b"") -> tuple[int, str, str]:
        out, err = BufferWriter(), BufferWriter()
        status = await new_shell(self.ctx).run(
            script, stdin=BytesStdin(stdin), stdout=out, stderr=err
        )
        return status, out.getvalue().decode(), err.getvalue().decode()


@pytest.fixture
def sh(phone: FakePhone, fake_sleep: FakeSleep) -> Run:
    return Run(phone, fake_sleep)


# --- syntax and structure -------------------------------------------------------------------


async def test_quotes_and_escapes_follow_sh_rules(sh: Run) -> None:
    status, out, _ = await sh("""echo 'a  b' "c  $X" d\\ e "" 'it'\\''s' "q\\"x" """)
    assert status == 0
    assert out == "a  b c   d e  it's q\"x\n"


async def test_sequence_and_or_and_exit_status(sh: Run) -> None:
    _, out, _ = await sh("false; echo $?; true && echo yes; false && echo no; false || echo alt")
    assert out == "1\nyes\nalt\n"


async def test_unknown_command_answers_like_a_device(sh: Run) -> None:
    status, out, err = await sh("frobnicate --now")
    assert status == 127 and out == ""
    assert err == "/system/bin/sh: frobnicate: inaccessible or not found\n"


async def test_exit_status_of_the_last_command_is_the_script_status(sh: Run) -> None:
    assert (await sh("true; false"))[0] == 1
    assert (await sh("exit 3; echo never"))[:2] == (3, "")
    assert (await sh("(exit 4); echo $?"))[1] == "4\n"


async def test_redirects_write_into_the_simulated_filesystem(sh: Run) -> None:
    await sh("echo one > /sdcard/f.txt; echo two >> /sdcard/f.txt; echo err 1>&2 2>/dev/null")
    assert sh.phone.fs.read("/sdcard/f.txt") == b"one\ntwo\n"
    status, out, _ = await sh("cat < /sdcard/f.txt")
    assert out == "one\ntwo\n"
    status, _, err = await sh("echo x > /nope/f.txt")
    assert status == 1 and "can't create /nope/f.txt: No such file or directory" in err


async def test_stderr_redirected_to_stdout(sh: Run) -> None:
    _, out, err = await sh("cat /missing 2>&1")
    assert out == "cat: /missing: No such file or directory\n" and err == ""


async def test_command_substitution_runs_inside_the_phone(sh: Run) -> None:
    _, out, _ = await sh("echo $(echo inner) `echo back`; touch $(echo /sdcard/made)")
    assert out == "inner back\n"
    assert sh.phone.fs.exists("/sdcard/made")


async def test_pipes_feed_stdout_to_stdin(sh: Run) -> None:
    _, out, _ = await sh("echo piped | cat")
    assert out == "piped\n"


async def test_unquoted_expansions_split_and_quoted_ones_do_not(sh: Run) -> None:
    _, out, _ = await sh('X="a   b"; echo $X; echo "$X"; E=; echo [$E] [$(true)]')
    assert out == "a b\na   b\n[] []\n"


async def test_glob_expands_against_the_filesystem(sh: Run) -> None:
    await sh("touch /sdcard/a.txt /sdcard/b.txt")
    _, out, _ = await sh("echo /sdcard/*.txt '/sdcard/*.txt' /sdcard/*.none")
    assert out == "/sdcard/a.txt /sdcard/b.txt /sdcard/*.txt /sdcard/*.none\n"


@pytest.mark.parametrize("script", ["echo 'open", 'echo "open', "echo $(echo", "echo ;;", "| x"])
async def test_syntax_errors_are_reported_not_run(sh: Run, script: str) -> None:
    status, out, err = await sh(script)
    assert status != 0 and out == ""
    assert err.startswith("/system/bin/sh: ")


def test_parse_raises_on_bad_syntax() -> None:
    with pytest.raises(ShellSyntaxError):
        parse("a && ")


async def test_echo_interprets_escapes_like_mksh(sh: Run) -> None:
    _, out, _ = await sh(r"echo 'a\tb'; echo -n no; echo 'cut\cgone'")
    assert out == "a\tb\nnocut"


async def test_sleep_uses_the_injected_sleep(sh: Run, fake_sleep: FakeSleep) -> None:
    status, _, _ = await sh("sleep 2.5; sleep 1m")
    assert status == 0 and fake_sleep.calls == [2.5, 60.0]
    assert (await sh("sleep abc"))[0] == 1


async def test_rm_and_cat(sh: Run) -> None:
    await sh("echo x > /sdcard/x")
    assert (await sh("rm /sdcard/x; cat /sdcard/x"))[
        2
    ] == "cat: /sdcard/x: No such file or directory\n"
    assert (await sh("rm -f /sdcard/x"))[0] == 0
    assert (await sh("rm /sdcard/x"))[0] == 1


# --- Android tools ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arg", "typed"),
    [
        ("a%sb", "a b"),
        ("100%", "100%"),
        ("%%s", "% "),
        ("%", "%"),
        ("%d%s", "%d "),
        ("x%ss", "x s"),
    ],
)
def test_input_text_decodes_percent_s_as_android_does(arg: str, typed: str) -> None:
    assert decode_input_text(arg) == typed


async def test_input_commands_reach_the_phone(sh: Run) -> None:
    script = (
        "input tap 10 20; input touchscreen swipe 1 2 3 4 500; input swipe 5 6 7 8;"
        "input keyevent KEYCODE_HOME 4 BACK; input keyevent --longpress 26;"
        "input draganddrop 1 1 9 9 800; input text 'hi%sthere'"
    )
    status, _, err = await sh(script)
    assert status == 0, err
    p = sh.phone
    assert p.taps == [(10, 20)]
    assert p.swipes == [(1, 2, 3, 4, 500), (5, 6, 7, 8, 300)]
    assert p.keys == [(3, False), (4, False), (4, False), (26, True)]
    assert p.drags == [(1, 1, 9, 9, 800)]
    assert p.texts == ["hi there"]


async def test_input_text_refuses_what_the_keyboard_map_cannot_type(sh: Run) -> None:
    status, _, err = await sh("input text 'caf\u00e9'")
    assert status != 0 and "Exception" in err and sh.phone.texts == []


async def test_input_usage_errors(sh: Run) -> None:
    status, _, err = await sh("input tap 1")
    assert status == 1 and "Invalid arguments for command: tap" in err
    assert sh.phone.taps == []


async def test_screencap_png_and_raw(sh: Run) -> None:
    await sh("screencap -p /sdcard/s.png; screencap /sdcard/raw.bin; screencap /sdcard/t.png")
    assert sh.phone.fs.read("/sdcard/s.png").startswith(b"\x89PNG\r\n\x1a\n")
    assert sh.phone.fs.read("/sdcard/t.png").startswith(b"\x89PNG")
    raw = sh.phone.fs.read("/sdcard/raw.bin")
    w, h, fmt = struct.unpack("<3I", raw[:12])
    assert (w, h, fmt) == (1080, 2400, 1)
    assert len(raw) - w * h * 4 == 16


async def test_uiautomator_dump_writes_the_xml_and_says_so_in_androids_words(sh: Run) -> None:
    status, out, _ = await sh("uiautomator dump")
    assert status == 0 and out == "UI hierchary dumped to: /sdcard/window_dump.xml\n"
    assert sh.phone.fs.read("/sdcard/window_dump.xml").decode() == sh.phone.ui_xml()
    _, out, _ = await sh("uiautomator dump /sdcard/other.xml && cat /sdcard/other.xml")
    assert out.endswith("</hierarchy>") and "dumped to: /sdcard/other.xml\n<?xml" in out


async def test_uiautomator_idle_state_fault(sh: Run) -> None:
    sh.ctx.faults.fail_uidump(2)
    for _ in range(2):
        _, out, err = await sh("uiautomator dump")
        assert out == "" and err == "ERROR: could not get idle state.\n"
    assert "dumped to" in (await sh("uiautomator dump"))[1]


async def test_getprop_one_and_all(sh: Run) -> None:
    assert (await sh("getprop ro.build.version.sdk"))[1] == "33\n"
    assert (await sh("getprop no.such.prop"))[1] == "\n"
    out = (await sh("getprop"))[1]
    assert "[ro.product.model]: [sdk_gphone64_x86_64]\n" in out


async def test_wm_size_with_override(sh: Run) -> None:
    assert (await sh("wm size"))[1] == "Physical size: 1080x2400\n"
    await sh("wm size 720x1600")
    assert (await sh("wm size"))[1] == "Physical size: 1080x2400\nOverride size: 720x1600\n"
    await sh("wm size reset")
    assert "Override" not in (await sh("wm size"))[1]


async def test_dumpsys_reports_the_foreground_app(sh: Run) -> None:
    sh.phone.launch("com.android.settings")
    win = (await sh("dumpsys window"))[1]
    assert "mCurrentFocus=Window{" in win
    assert " u0 com.android.settings/com.android.settings.Settings}" in win
    act = (await sh("dumpsys activity activities"))[1]
    assert "topResumedActivity=ActivityRecord{" in act and "com.android.settings/.Settings t" in act


async def test_settings_and_svc(sh: Run) -> None:
    assert (await sh("settings get system screen_brightness"))[1] == "null\n"
    await sh("settings put system screen_brightness 200")
    assert (await sh("settings get system screen_brightness"))[1] == "200\n"
    assert (await sh("settings get bogus x"))[0] != 0
    assert (await sh("settings get global wifi_on"))[1] == "0\n"
    await sh("svc wifi enable")
    assert sh.phone.wifi is True
    assert (await sh("settings get global wifi_on"))[1] == "1\n"
    await sh("svc wifi disable")
    assert sh.phone.wifi is False


async def test_am_start_force_stop_and_monkey(sh: Run) -> None:
    status, out, _ = await sh("am start -n com.android.settings/.Settings")
    assert (
        status == 0
        and out == "Starting: Intent { cmp=com.android.settings/.Settings flg=0x400000 }\n"
    )
    assert sh.phone.foreground() == ("com.android.settings", ".Settings")
    status, _, err = await sh("am start -n com.android.settings/.Nope")
    assert status != 0 and "does not exist" in err
    await sh("am force-stop com.android.settings")
    assert sh.phone.foreground()[0] == "com.android.launcher3"
    status, out, _ = await sh(
        "monkey -p com.android.contacts -c android.intent.category.LAUNCHER 1"
    )
    assert status == 0 and "Events injected: 1" in out
    assert sh.phone.foreground()[0] == "com.android.contacts"
    status, _, err = await sh("monkey -p com.not.there -c android.intent.category.LAUNCHER 1")
    assert status != 0 and "No activities found to run, monkey aborted." in err


async def test_package_lists(sh: Run) -> None:
    out = (await sh("cmd package list packages"))[1]
    assert "package:com.android.settings\n" in out
    assert (await sh("pm list packages"))[1] == out
    assert (await sh("pm list packages markor"))[1] == "package:net.gsantner.markor\n"


async def test_clipboard_paste_and_adb_keyboard_broadcasts(sh: Run) -> None:
    _, out, _ = await sh("am broadcast -a clipper.set -e text 'h\u00e9llo w\u00f6rld'")
    assert 'result=-1, data="Text is copied into clipboard."' in out
    await sh("input keyevent 279")
    await sh("am broadcast -a ADB_INPUT_B64 --es msg " + "5pel5pys6Kqe")  # "日本語"
    assert sh.phone.texts == ["h\u00e9llo w\u00f6rld", "\u65e5\u672c\u8a9e"]


async def test_commands_by_absolute_path(sh: Run) -> None:
    assert (await sh("/system/bin/echo ok"))[1] == "ok\n"
    assert (await sh("/tmp/echo ok"))[0] == 127


async def test_stdin_reaches_cat(sh: Run) -> None:
    assert (await sh("cat", stdin=b"from stdin"))[1] == "from stdin"


async def test_grep_filters_lines(sh: Run) -> None:
    await sh("echo 'alpha\nbeta\ngamma' > /sdcard/g.txt")
    assert (await sh("grep -E 'alpha|gamma' /sdcard/g.txt"))[1] == "alpha\ngamma\n"
    assert (await sh("cat /sdcard/g.txt | grep -v a"))[1] == ""
    assert (await sh("grep -ic BETA /sdcard/g.txt"))[1] == "1\n"
    assert (await sh("grep zeta /sdcard/g.txt"))[0] == 1
    _, out, _ = await sh("dumpsys window | grep -E 'mCurrentFocus|mFocusedApp'")
    assert out.count("\n") == 2 and "mCurrentFocus=Window{" in out
