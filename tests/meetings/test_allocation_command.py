"""``manage.py allocate_workshops``: CSV in, the documented JSON out, no database touched.

No test here is marked ``django_db``: pytest-django fails any that opens a connection.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]

WORKSHOPS = "workshop,round,capacity\nDigitale Stadt,1,1\nHomeoffice,1,2\nDörfer,2,2\n007,2,1\n"
PREFERENCES = (
    "participant,workshop,rank\n"
    "Anna Berg,Digitale Stadt,1\n"
    "Anna Berg,Dörfer,2\n"
    "Ben Çelik,Digitale Stadt,1\n"
    "Ben Çelik,007,2\n"
    "0042,Digitale Stadt,1\n"
)


def write(tmp_path, name, text, *, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(tmp_path, *, workshops=WORKSHOPS, preferences=PREFERENCES, wanted=None, extra=()):
    args = [
        "--workshops",
        str(write(tmp_path, "workshops.csv", workshops)),
        "--preferences",
        str(write(tmp_path, "preferences.csv", preferences)),
        *extra,
    ]
    if wanted is not None:
        args += ["--wanted", str(write(tmp_path, "wanted.csv", wanted))]
    out = io.StringIO()
    with translation.override("en"):
        call_command("allocate_workshops", *args, stdout=out)
    return json.loads(out.getvalue())


def test_prints_the_documented_json(tmp_path):
    result = run(tmp_path, extra=["--seed", "7"])
    assert set(result) == {"seed", "assignments", "statistics"}
    assert result["seed"] == 7
    # every participant is a key, identifiers as in the files (leading zeros, umlauts)
    assert set(result["assignments"]) == {"Anna Berg", "Ben Çelik", "0042"}
    assert all(isinstance(got, list) for got in result["assignments"].values())
    assert sum(got == ["Digitale Stadt"] for got in result["assignments"].values()) == 1
    statistics = result["statistics"]
    assert statistics["seed"] == 7
    assert statistics["participants"] == 3
    assert statistics["workshops"]["007"] == {"round": 2, "capacity": 1, "assigned": 1}
    assert set(statistics["by_rank"]) <= {"1", "2"}
    assert statistics["seats_assigned"] == sum(len(g) for g in result["assignments"].values())


def test_a_participant_who_gets_nothing_has_an_empty_list(tmp_path):
    preferences = "participant,workshop,rank\nanna,007,1\nben,007,1\n"
    result = run(tmp_path, preferences=preferences, extra=["--seed", "1"])
    assert sorted(result["assignments"].values()) == [[], ["007"]]
    assert result["statistics"]["participants_without_seat"] == 1
    assert len(result["statistics"]["without_seat"]) == 1


def test_only_ranked_workshops_and_at_most_one_per_round(tmp_path):
    result = run(tmp_path, extra=["--seed", "3"])
    rounds = {"Digitale Stadt": 1, "Homeoffice": 1, "Dörfer": 2, "007": 2}
    ranked = {"Anna Berg": {"Digitale Stadt", "Dörfer"}, "Ben Çelik": {"Digitale Stadt", "007"}}
    ranked["0042"] = {"Digitale Stadt"}
    for participant, got in result["assignments"].items():
        assert set(got) <= ranked[participant]
        assert len({rounds[w] for w in got}) == len(got)


def test_the_same_seed_gives_the_same_json(tmp_path):
    assert run(tmp_path, extra=["--seed", "11"]) == run(tmp_path, extra=["--seed", "11"])


def test_without_a_seed_the_drawn_one_is_printed(tmp_path):
    result = run(tmp_path)
    assert isinstance(result["seed"], int)
    assert run(tmp_path, extra=["--seed", str(result["seed"])]) == result


def test_semicolons_and_a_byte_order_mark_are_read(tmp_path):
    workshops = "\ufeff" + WORKSHOPS.replace(",", ";")
    preferences = "\ufeff" + PREFERENCES.replace(",", ";")
    result = run(tmp_path, workshops=workshops, preferences=preferences, extra=["--seed", "7"])
    assert result == run(tmp_path, extra=["--seed", "7"])


def test_windows_line_ends_and_blank_lines_are_read(tmp_path):
    preferences = PREFERENCES.replace("\n", "\r\n") + "\r\n"
    result = run(tmp_path, preferences=preferences, extra=["--seed", "7"])
    assert result == run(tmp_path, extra=["--seed", "7"])


def test_wanted_limits_the_seats(tmp_path):
    wanted = "participant,wanted\nAnna Berg,1\n"
    preferences = "participant,workshop,rank\nAnna Berg,Homeoffice,1\nAnna Berg,Dörfer,2\n"
    result = run(tmp_path, preferences=preferences, wanted=wanted, extra=["--seed", "1"])
    assert result["assignments"] == {"Anna Berg": ["Homeoffice"]}
    result = run(tmp_path, preferences=preferences, extra=["--seed", "1"])
    assert result["assignments"] == {"Anna Berg": ["Homeoffice", "Dörfer"]}


def test_ranks_order_the_rows_whatever_their_order_in_the_file(tmp_path):
    preferences = "participant,workshop,rank\nanna,Dörfer,5\nanna,Homeoffice,2\n"
    wanted = "participant,wanted\nanna,1\n"
    result = run(tmp_path, preferences=preferences, wanted=wanted, extra=["--seed", "1"])
    assert result["assignments"] == {"anna": ["Homeoffice"]}
    assert result["statistics"]["by_rank"] == {"1": 1}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"workshops": "name,slot,seats\nA,1,2\n"}, "needs the columns workshop, round, capacity"),
        ({"preferences": "participant;workshop\nanna;A\n"}, "needs the columns participant"),
        ({"workshops": "workshop,round,capacity\nA,1,0\n"}, "line 2: “0” in the column “capacity”"),
        ({"workshops": "workshop,round,capacity\nA,1,-2\n"}, "not a whole number of at least 1"),
        ({"workshops": "workshop,round,capacity\nA,eins,2\n"}, "column “round”"),
        ({"workshops": "workshop,round,capacity\nA,1,2\nA,2,2\n"}, "line 3: the workshop “A”"),
        ({"workshops": "workshop,round,capacity\n"}, "lists no workshop"),
        ({"preferences": "participant,workshop,rank\nanna,A,1\nanna,A,2\n"}, "twice"),
        ({"preferences": "participant,workshop,rank\nanna,Z,1\n"}, "“Z” is not a workshop"),
        ({"preferences": "participant,workshop,rank\nanna,A,1\nanna,B,1\n"}, "rank 1 twice"),
        ({"preferences": "participant,workshop,rank\n"}, "holds no preference"),
        ({"preferences": "participant,workshop,rank\nanna,A,0\n"}, "column “rank”"),
        ({"preferences": "participant,workshop,rank\n,A,1\n"}, "“participant” is empty"),
        ({"preferences": "participant,workshop,rank\nanna,A\n"}, "2 fields instead of 3"),
        ({"wanted": "participant,wanted\nanna,3\n"}, "at most 2 are allowed"),
        ({"wanted": "participant,wanted\nzoe,1\n"}, "“zoe” has no preferences"),
        ({"wanted": "participant,wanted\nanna,1\nanna,2\n"}, "listed twice"),
    ],
)
def test_bad_files_are_refused_with_a_message(tmp_path, files, message):
    workshops = files.get("workshops", "workshop,round,capacity\nA,1,2\nB,2,2\n")
    preferences = files.get("preferences", "participant,workshop,rank\nanna,A,1\n")
    with pytest.raises(CommandError, match=message):
        run(tmp_path, workshops=workshops, preferences=preferences, wanted=files.get("wanted"))


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = write(
        tmp_path, "workshops.csv", "workshop,round,capacity\nDörfer,1,2\n", encoding="cp1252"
    )
    preferences = write(tmp_path, "preferences.csv", "participant,workshop,rank\na,Dörfer,1\n")
    with translation.override("en"), pytest.raises(CommandError, match="not UTF-8 encoded"):
        call_command(
            "allocate_workshops", "--workshops", str(path), "--preferences", str(preferences)
        )


def test_a_missing_file_is_refused(tmp_path):
    preferences = write(tmp_path, "preferences.csv", "participant,workshop,rank\na,A,1\n")
    with translation.override("en"), pytest.raises(CommandError, match="cannot be read"):
        call_command(
            "allocate_workshops",
            "--workshops",
            str(tmp_path / "nowhere.csv"),
            "--preferences",
            str(preferences),
        )


def test_bad_input_exits_non_zero_with_a_german_message_and_no_traceback(tmp_path):
    workshops = write(tmp_path, "workshops.csv", "workshop,round,capacity\nA,1,0\n")
    preferences = write(tmp_path, "preferences.csv", "participant,workshop,rank\na,A,1\n")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ikone.settings"}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "allocate_workshops",
            "--workshops",
            str(workshops),
            "--preferences",
            str(preferences),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode != 0
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    assert "Zeile 2" in completed.stderr
