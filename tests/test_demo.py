"""`bravo demo` runs the real app offline and checks its own outcome."""

import subprocess
import sys


def test_demo_plays_a_week_offline(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "12 recognitions stored. Bravo sent 18 Slack messages" in out
    assert "@channel take note & celebrate" in out and "<!channel>" not in out
    assert "can't give them to yourself" in out
    assert "It resets at midnight your time" in out
