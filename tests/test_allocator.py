"""The CLI asks the C allocator to keep freed memory for the next stage (souverain.allocator)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from souverain.allocator import keep_freed_memory


def test_kept_on_glibc_linux_and_harmless_elsewhere() -> None:
    """Run in a child process: the settings are process-wide."""
    code = textwrap.dedent(
        """
        import platform, sys
        from souverain.allocator import keep_freed_memory
        kept = keep_freed_memory()
        glibc = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
        assert kept is glibc, (kept, platform.libc_ver())
        big = [bytearray(64 << 20) for _ in range(2)]  # blocks larger than any default threshold
        del big
        again = bytearray(128 << 20)  # still allocates and works after freeing
        assert len(again) == 128 << 20
        print("ok")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_not_on_other_platforms(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert keep_freed_memory() is False


def test_the_audit_command_keeps_freed_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """`souverain audit` asks for it once, before reading the SBOM."""
    import souverain.allocator
    from souverain.cli import main

    from tests.conftest import fixture_path

    calls: list[bool] = []

    def spy() -> bool:
        calls.append(True)
        return True

    monkeypatch.setattr(souverain.allocator, "keep_freed_memory", spy)
    rc = main(["audit", str(fixture_path("cdx-1.4_hbom-pcie-sata-adapter.json")), "-q", "--fail-on", "none"])
    assert rc == 0
    assert calls == [True]
