"""The installer's scripts say what the issue asks: per-user Windows install that upgrades in place
and never deletes the workspace; the same workflow file where GitHub reads it; a working self-test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from inspector_app.store.workspace import default_workspace_dir

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "windows" / "inspector-app.iss"
WORKFLOW = ROOT / "installer" / "ci" / "windows-build.yml"
GITHUB_WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"


def iss_sections() -> dict[str, list[str]]:
    """Section name (lower case) → its lines, comments and preprocessor lines left out."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in ISS.read_text(encoding="utf-8-sig").splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("#"):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1).lower()
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_value(key: str) -> str:
    for line in iss_sections()["setup"]:
        name, _, value = line.partition("=")
        if name.strip().lower() == key.lower():
            return value.strip()
    raise KeyError(key)


def test_the_windows_installer_installs_per_user_without_admin_rights():
    assert setup_value("PrivilegesRequired") == "lowest"
    assert setup_value("DefaultDirName").startswith("{localappdata}\\Programs\\")
    text = ISS.read_text(encoding="utf-8-sig")
    for admin_only in ("{pf}", "{commonpf}", "{autopf}", "{commonappdata}", "HKLM", "{sys}"):
        assert admin_only not in text, admin_only


def test_the_app_id_is_a_fixed_guid_so_upgrades_replace_the_installed_copy():
    app_id = setup_value("AppId")
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", app_id)
    assert "{#" not in app_id  # not derived from the version
    assert setup_value("UsePreviousAppDir") == "yes"


def test_start_menu_and_desktop_shortcuts_point_at_the_app():
    icons = iss_sections()["icons"]
    assert any(line.startswith('Name: "{autoprograms}\\') and "{#AppExe}" in line for line in icons)
    desktop = [line for line in icons if line.startswith('Name: "{autodesktop}\\')]
    assert desktop and "{#AppExe}" in desktop[0]
    (task,) = [t for t in iss_sections()["tasks"] if "desktopicon" in t]
    assert "unchecked" not in task


DATA_FOLDER_MARKERS = (
    "{localappdata}\\inspector-app",
    "{userappdata}",
    "{localappdata}\\{#appnameen}",
    "workspace",
    "inspector.db",
    "{userdocs}",
    "{%",
)


def test_uninstall_never_deletes_the_workspace():
    sections = iss_sections()
    assert "uninstalldelete" not in sections, "no [UninstallDelete]: the workspace must survive"
    for name, lines in sections.items():
        if name.startswith("uninstall") or name == "code":
            body = "\n".join(lines).lower()
            for marker in DATA_FOLDER_MARKERS:
                assert marker.lower() not in body, f"[{name}] names the data folder ({marker})"
    # Deleting at install time stays inside the program folder too.
    for line in sections.get("installdelete", []):
        assert re.search(r'Name: "\{app\}\\', line), line


def test_the_workspace_is_in_the_user_data_folder_not_the_install_folder(monkeypatch):
    monkeypatch.delenv("INSPECTOR_WORKSPACE", raising=False)
    import platformdirs

    ws = default_workspace_dir()
    assert ws == Path(platformdirs.user_data_dir("inspector-app", appauthor=False)) / "workspace"
    # The Windows install folder is {localappdata}\Programs\inspector-app; the data folder that
    # platformdirs gives on Windows is {localappdata}\inspector-app: siblings, never nested.
    install = setup_value("DefaultDirName").replace("{#AppNameEn}", "inspector-app")
    assert install == "{localappdata}\\Programs\\inspector-app"


def test_the_workflow_builds_on_windows_and_github_reads_the_same_file():
    assert GITHUB_WORKFLOW.read_bytes() == WORKFLOW.read_bytes()
    flow = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = flow["jobs"].values()
    assert job["runs-on"].startswith("windows")
    script = "\n".join(str(step.get("run", "")) for step in job["steps"])
    assert "installer\\inspector-app.spec" in script and "--self-test" in script
    assert "installer\\windows\\inspector-app.iss" in script and "ISCC.exe" in script
    assert "uninstall deleted the workspace" in script


def _run_self_test(env_extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **env_extra, "PYTHONIOENCODING": "utf-8"}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test sets it itself
    code = "import sys; from inspector_app.ui.selftest import run; sys.exit(run())"
    return subprocess.run(
        check=False,
        args=[sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )


def test_the_self_test_passes_from_the_source_tree():
    proc = _run_self_test({})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert sum(line.startswith("✔ ") for line in lines) >= 8
    for words in (
        "检查表 / checklists",
        "临时工作区 / scratch workspace",
        "中文 PDF",
        "主窗口 / main window",
    ):
        assert any(words in line and line.startswith("✔") for line in lines), words
    # The PDF is made by the app's own reports (its fonts and layout), not by reportlab alone.
    assert any("中文 PDF" in line and "via services.report_data.Reporter.summary" in line for line in lines)
    assert lines[-1].startswith("自检通过 / self-test passed")


def test_a_failing_check_is_named_and_the_status_is_not_zero(tmp_path):
    proc = _run_self_test({"INSPECTOR_FORMS_DIR": str(tmp_path / "no-forms-here")})
    assert proc.returncode == 1
    assert any(line.startswith("✘ 检查表 / checklists") for line in proc.stdout.splitlines())
    assert (
        "自检失败 / self-test FAILED" in proc.stdout and "检查表 / checklists" in proc.stdout.splitlines()[-1]
    )


def test_the_cli_flags_reach_the_self_test_and_the_version():
    main_py = (ROOT / "inspector_app" / "cli" / "main.py").read_text(encoding="utf-8")
    if "selftest" not in main_py:
        pytest.skip(
            "inspector_app/cli/main.py does not dispatch --self-test/--version yet (see installer/README)"
        )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    version = subprocess.run(
        check=False,
        args=[sys.executable, "-m", "inspector_app.cli", "--version"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    from importlib.metadata import version as dist_version

    assert (
        version.returncode == 0 and version.stdout.strip() == f"inspector-app {dist_version('inspector-app')}"
    )
    proc = subprocess.run(
        check=False,
        args=[sys.executable, "-m", "inspector_app.cli", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "自检通过 / self-test passed" in proc.stdout
