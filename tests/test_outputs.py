"""Outputs of one run written as a set, under a lock (issue 14).

The mechanism (pipeline/outputs.py) on its own first, then real `iki report` processes:
two runs of different inboxes into one folder, SIGKILL at random points, SIGTERM, a file
size limit and a full file system. After any of these the report folder holds one complete
set from one run, or nothing; never a mix.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import OutputBusyError, OutputError
from pipeline.outputs import output_set, settle

NAMES = ("Capaian_IKI_2018_TW2.xlsx", "capaian.csv", "problems.csv")
IKI = Path(sys.executable).with_name("iki")
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"
# Inbox B: the example without a rejected file and a counted one, so all three outputs differ.
DROPPED = (
    "IKI_2018_TW2_Seksi_Penyelesaian_Perselisihan_Hubungan_Industrial.xlsx",
    "IKI_2018_TW2_Seksi_Penyiapan.xlsx",
)
Snapshot = tuple[bytes, ...]


def _write(folder: Path, text: str, names: tuple[str, ...] = NAMES) -> None:
    for name in names:
        (folder / name).write_text(f"{text} {name}")


def _hidden(parent: Path) -> list[str]:
    """Leftovers beside the report folders (the lock files stay by design)."""
    return sorted(
        p.name for p in parent.iterdir() if p.name.startswith(".") and ".lock" not in p.name
    )


# -- the mechanism --------------------------------------------------------------------------


def test_a_set_replaces_the_last_and_keeps_the_users_files(tmp_path: Path) -> None:
    folder = tmp_path / "2018-TW2"
    with output_set(folder, NAMES) as staging:
        _write(staging, "satu")
    (folder / "ttd_kepala.pdf").write_text("ditandatangani")
    (folder / "catatan").mkdir()
    (folder / "catatan" / "rapat.txt").write_text("notulen")
    (folder / ".capaian.k2j4h5g6.csv").write_text("sisa versi lama yang terbunuh")
    with output_set(folder, NAMES) as staging:
        _write(staging, "dua")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*NAMES, "catatan", "ttd_kepala.pdf"])
    assert {(folder / n).read_text() for n in NAMES} == {f"dua {n}" for n in NAMES}
    assert (folder / "ttd_kepala.pdf").read_text() == "ditandatangani"
    assert (folder / "catatan" / "rapat.txt").read_text() == "notulen"
    assert _hidden(tmp_path) == []


@pytest.mark.parametrize("written", [NAMES, NAMES[:2]])
def test_a_failed_or_incomplete_run_keeps_the_last_set(
    tmp_path: Path, written: tuple[str, ...]
) -> None:
    folder = tmp_path / "2018-TW2"
    with output_set(folder, NAMES) as staging:
        _write(staging, "lama")
    with pytest.raises(RuntimeError), output_set(folder, NAMES) as staging:
        _write(staging, "baru", written)
        if written == NAMES:
            raise RuntimeError("writer failed after writing everything")
    assert {(folder / n).read_text() for n in NAMES} == {f"lama {n}" for n in NAMES}
    assert _hidden(tmp_path) == []


def test_settle_puts_back_a_set_whose_swap_was_killed(tmp_path: Path) -> None:
    """Killed between the two renames: the old set went aside, the new one not yet in."""
    folder = tmp_path / "2018-TW2"
    old, new = tmp_path / ".2018-TW2.old-aaa", tmp_path / ".2018-TW2.new-aaa"
    for path, text in ((old, "lama"), (new, "baru")):
        path.mkdir()
        _write(path, text)
    settle(folder)
    assert {(folder / n).read_text() for n in NAMES} == {f"lama {n}" for n in NAMES}
    assert _hidden(tmp_path) == []
    # Killed after the second rename: only the old folder is left to remove.
    old.mkdir()
    settle(folder)
    assert _hidden(tmp_path) == [] and (folder / NAMES[0]).exists()


def test_a_second_writer_waits_then_fails_with_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "2018-TW2"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipeline.lock import exclusive\n"
            "with exclusive(Path(sys.argv[1]), Path('x'), wait=0):\n"
            "    print('held', flush=True); time.sleep(30)",
            str(tmp_path / ".2018-TW2.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        waited: list[bool] = []
        with (
            pytest.raises(OutputBusyError, match="sedang ditulis oleh proses iki lain"),
            output_set(folder, NAMES, wait=0.3, on_wait=lambda: waited.append(True)),
        ):
            pass
        assert waited == [True]
    finally:
        holder.kill()
        holder.wait()
    with output_set(folder, NAMES, wait=5) as staging:  # a killed holder frees the lock
        _write(staging, "bebas")
    assert _hidden(tmp_path) == []


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "2018-TW2").write_text("bukan folder")
    with pytest.raises(OutputError, match="bukan folder"), output_set(tmp_path / "2018-TW2", NAMES):
        pass
    assert (tmp_path / "2018-TW2").read_text() == "bukan folder"


# -- real `iki report` processes ------------------------------------------------------------


def _command(inbox: Path, out: Path) -> list[str]:
    return [str(IKI), "report", "--inbox", str(inbox), "--period", "2018-TW2", "--out", str(out)]


def _env(tmp: Path) -> dict[str, str]:
    return {**os.environ, "IKI_LOG_DIR": str(tmp / "logs"), "LC_ALL": "C.UTF-8"}


def _run(inbox: Path, out: Path, tmp: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(inbox, out), capture_output=True, text=True, env=_env(tmp), check=False, **kwargs
    )  # type: ignore[call-overload, no-any-return]


def _read_set(folder: Path) -> Snapshot | None:
    """The three files as one snapshot of one folder (a rename mid-read cannot mix two)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return None
    try:
        contents = []
        for name in NAMES:
            try:
                handle = os.open(name, os.O_RDONLY, dir_fd=fd)
            except FileNotFoundError:
                if _still(folder, fd):
                    return (b"incomplete",)
                return _read_set(folder)  # the folder was swapped out while we read: again
            with os.fdopen(handle, "rb") as stream:
                contents.append(stream.read())
        return tuple(contents)
    finally:
        os.close(fd)


def _still(folder: Path, fd: int) -> bool:
    try:
        return os.stat(folder).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


@pytest.fixture(scope="module")
def inboxes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("inboxes")
    other = root / "B"
    shutil.copytree(EXAMPLE, other)
    for name in DROPPED:
        (other / name).unlink()
    return {"A": EXAMPLE, "B": other}


@pytest.fixture(scope="module")
def reference(
    inboxes: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[Snapshot, str]:
    """The set each inbox gives, by content (the report is a pure function of its inputs)."""
    root = tmp_path_factory.mktemp("reference")
    sets: dict[Snapshot, str] = {}
    for key, inbox in inboxes.items():
        assert _run(inbox, root / key, root).returncode == 1
        snapshot = _read_set(root / key / "2018-TW2")
        assert snapshot is not None
        sets[snapshot] = key
    a, b = sets
    assert all(x != y for x, y in zip(a, b, strict=True)), "A and B must differ in every file"
    return sets


def _assert_one_set(folder: Path, reference: dict[Snapshot, str]) -> str:
    snapshot = _read_set(folder)
    if snapshot is None:
        return "nothing"
    assert snapshot in reference, "the folder holds a mix of runs or an incomplete set"
    return reference[snapshot]


def test_two_runs_into_one_folder_never_mix(
    inboxes: dict[str, Path], reference: dict[Snapshot, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    folder = out / "2018-TW2"
    seen: set[str] = set()
    for _ in range(3):
        runs = [
            subprocess.Popen(
                _command(inboxes[k], out),
                env=_env(tmp_path),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for k in ("A", "B")
        ]
        while any(r.poll() is None for r in runs):  # watch the folder while both write
            seen.add(_assert_one_set(folder, reference))
            time.sleep(0.005)
        assert [r.wait() for r in runs] == [1, 1], [r.stderr.read() for r in runs if r.stderr]
        seen.add(_assert_one_set(folder, reference))
    assert seen - {"nothing"} <= {"A", "B"} and seen - {"nothing"}
    assert _hidden(out) == []


def test_a_second_report_waits_for_the_first(inboxes: dict[str, Path], tmp_path: Path) -> None:
    """Another process holds the folder: `iki report` says it waits, and writes once free."""
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pipeline.lock import exclusive\n"
            "with exclusive(Path(sys.argv[1]), Path('x'), wait=0):\n"
            "    print('held', flush=True); time.sleep(60)",
            str(out / ".2018-TW2.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    run = subprocess.Popen(
        _command(inboxes["A"], out),
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    waiting = "Folder keluaran sedang ditulis proses iki lain; menunggu sampai selesai ...\n"
    assert run.stderr.readline() == waiting
    assert not (out / "2018-TW2").exists()
    holder.kill()  # the holder ends (as a killed run would): its lock goes with it
    holder.wait()
    assert run.wait(timeout=30) == 1, run.stderr.read()
    assert (out / "2018-TW2" / NAMES[0]).is_file()


def _writing(out: Path) -> bool:
    """A run has begun to write: a temporary file or folder beside or in the report folder."""
    found = [*out.glob(".*"), *out.glob("2018-TW2/.*")] if out.is_dir() else []
    return any(not p.name.endswith(".lock") for p in found)


def _kill_at_random(run: subprocess.Popen[bytes], out: Path, rng: random.Random) -> None:
    """SIGKILL at a random moment: half anywhere in the run, half once writing has begun."""
    if rng.random() < 0.5:
        time.sleep(rng.uniform(0.0, 1.5))
    else:
        deadline = time.monotonic() + 10
        while not _writing(out):
            if run.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.15))
    run.send_signal(signal.SIGKILL)
    run.wait()


def test_sigkill_at_random_points_never_leaves_a_mixed_set(
    inboxes: dict[str, Path], reference: dict[Snapshot, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    rng = random.Random(14)
    states = []
    for round_ in range(8):
        inbox = inboxes["AB"[round_ % 2]]
        run = subprocess.Popen(
            _command(inbox, out),
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _kill_at_random(run, out, rng)
        states.append((run.returncode, _assert_one_set(out / "2018-TW2", reference)))
    # The next run settles whatever the kills left, and writes its own complete set.
    assert _run(inboxes["A"], out, tmp_path).returncode == 1
    assert _assert_one_set(out / "2018-TW2", reference) == "A"
    assert _hidden(out) == []
    assert {code for code, _ in states} <= {-signal.SIGKILL, 1}


def test_sigterm_while_writing_removes_every_temporary_file(
    inboxes: dict[str, Path], reference: dict[Snapshot, str], tmp_path: Path
) -> None:
    """SIGTERM at random moments once writing began: exit 143, nothing hidden left behind."""
    out = tmp_path / "out"
    assert _run(inboxes["A"], out, tmp_path).returncode == 1
    rng = random.Random(143)
    endings = []
    for round_ in range(4):
        run = subprocess.Popen(
            _command(inboxes["BA"[round_ % 2]], out),
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        while not _writing(out):
            assert run.poll() is None, "the run ended before it began to write"
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, 0.12))
        run.send_signal(signal.SIGTERM)
        _, err = run.communicate(timeout=30)
        endings.append(run.returncode)
        # 1: it had finished before the signal came; -SIGTERM: it came after the command had
        # finished, while Python shut down (the guard no longer holds SIGTERM then).
        assert run.returncode in (143, 1, -signal.SIGTERM), err
        assert "Traceback" not in err
        if run.returncode == 143:
            assert err.endswith("Dihentikan (SIGTERM); keluaran yang belum selesai dibuang.\n")
        assert _hidden(out) == []
        assert _assert_one_set(out / "2018-TW2", reference) in ("A", "B")
    assert 143 in endings


def _limit_file_size() -> None:
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_file_size_limit_is_a_message_not_a_traceback(
    inboxes: dict[str, Path], reference: dict[Snapshot, str], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert _run(inboxes["A"], out, tmp_path).returncode == 1
    done = _run(inboxes["B"], out, tmp_path, preexec_fn=_limit_file_size)
    assert done.returncode == 4, done.stderr
    # The message names the file the user will look for, not the hidden staging folder.
    assert re.fullmatch(
        f"Galat: tidak dapat menulis {re.escape(str(out / '2018-TW2'))}/[^/]+: "
        "berkas melebihi batas ukuran yang diizinkan sistem\n",
        done.stderr,
    )
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert _hidden(out) == []
    assert _assert_one_set(out / "2018-TW2", reference) == "A"  # the last good set stays


@pytest.fixture
def private_mounts() -> list[str]:
    """A command prefix that runs in a private mount namespace (no root needed)."""
    prefix = ["unshare", "--mount", "--map-root-user"]
    if shutil.which("unshare") is None or subprocess.run([*prefix, "true"], check=False).returncode:
        pytest.skip("no private mount namespace here (unshare)")
    return prefix


def test_a_full_disk_is_a_message_not_a_traceback(
    inboxes: dict[str, Path], private_mounts: list[str], tmp_path: Path
) -> None:
    """A real ENOSPC: a 40 kB tmpfs on the output folder (the workbook alone is ~48 kB)."""
    out = tmp_path / "out"
    out.mkdir()
    script = (
        f'mount -t tmpfs -o size=40k tmpfs "{out}" || exit 99; '
        f'{" ".join(_command(inboxes["A"], out))}; code=$?; ls -A "{out}"; exit $code'
    )
    done = subprocess.run(
        [*private_mounts, "sh", "-c", script],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        check=False,
    )
    assert done.returncode == 4, done.stderr
    assert done.stderr == (
        f"Galat: tidak dapat menulis {out / '2018-TW2' / NAMES[0]}: "
        "disk penuh (tidak ada ruang tersisa)\n"
    )
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    # What the tmpfs held when the run ended: the lock file only; no report, no temporary.
    assert done.stdout.split() == [".2018-TW2.lock"]


@pytest.mark.parametrize(
    ("args", "size", "kept"),
    [
        (
            ["templates", "--period", "2018-TW3", "--tanpa-data-sebelumnya", "--out", "{out}"],
            "30k",
            1,
        ),
        (["targets-template", "--year", "2019", "--out", "{out}/t.xlsx"], "8k", 0),
        (["catalog", "export", "--format", "xlsx", "-o", "{out}/k.xlsx"], "8k", 0),
        (["validate", "--inbox", str(EXAMPLE), "--feedback", "{out}"], "4k", 1),
    ],
)
def test_every_writer_on_a_full_disk(
    args: list[str], size: str, kept: int, private_mounts: list[str], tmp_path: Path
) -> None:
    """No writer prints a traceback on ENOSPC (a zip left open used to, when collected)."""
    out = tmp_path / "out"
    out.mkdir()
    command = " ".join([str(IKI), *(a.format(out=out) for a in args)])
    script = (
        f'mount -t tmpfs -o size={size} tmpfs "{out}" || exit 99; '
        f'{command} > /dev/null; code=$?; ls -A "{out}"; exit $code'
    )
    done = subprocess.run(
        [*private_mounts, "sh", "-c", script],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        check=False,
    )
    assert done.returncode == 4, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"Galat: tidak dapat menulis {out}/")
    assert line.endswith(": disk penuh (tidak ada ruang tersisa)")
    # Whole files only: those written before the disk filled, none hidden or half-written.
    left = done.stdout.split()
    assert len(left) == kept and not [n for n in left if n.startswith(".")]
