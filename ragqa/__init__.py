"""ragqa: the one top-level package of the installed distribution.

This folder is the shared bottom layer (our types, settings sections, text utilities). The layers above it
keep their own top-level folders in the repository (`index/`, `service/`, `eval/`, `prompts/`) and are
installed as `ragqa.index`, `ragqa.service`, `ragqa.eval` and `ragqa.prompts` (pyproject's package-dir), so
the distribution claims no generic module names such as `index` or `service`.
"""

from pathlib import Path as _Path

# Run from a source checkout (tests, `python -m ragqa.service.cli`), the layer folders sit beside this one.
_CHECKOUT = _Path(__file__).resolve().parent.parent
if (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "index" / "__init__.py").is_file():
    __path__.append(str(_CHECKOUT))
