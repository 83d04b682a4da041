"""`bravo demo` runs the real app offline and checks its own outcome."""

import subprocess
import sys


def test_demo_plays_a_week_offline(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.entrypoints.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert (
        "Stored: 14 recognitions, 1 story, 2 applause; posted 5 daily principles and 1 digest"
        in out
    )
    assert "none left this machine" in out
    assert "@channel take note & celebrate" in out and "<!channel>" not in out
    assert "can't give them to yourself" in out and "It resets at midnight your time" in out
    assert "Principle of the day" in out and "This week at your team" in out
    assert "[:clap: Applaud · 2]" in out
