"""The README's Python examples run as written (in a scratch folder)."""
import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_examples_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(BLOCKS) >= 3
    for i, block in enumerate(BLOCKS):
        exec(compile(block, f"README.md[python block {i}]", "exec"), {"__name__": "__readme__"})
    assert (tmp_path / "graph.svg").exists() and (tmp_path / "spiral.safetensors").exists()
