"""Serve ``litellm.<submodule>`` imports from this package after
``sys.modules["litellm"] = edgequake_litellm``.

Without it, ``from litellm.types.utils import ModelResponse`` would load a
second copy of ``types/utils.py`` under the name ``litellm.types.utils``, whose
classes ``isinstance`` would not recognise. The finder answers only while
``sys.modules["litellm"]`` is this package, so a real litellm is never shadowed.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Optional, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

_PACKAGE = __package__ or "edgequake_litellm"


class _AliasLoader:
    """A loader (duck-typed: importing ``importlib.abc`` costs milliseconds)."""

    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module was executed when it was imported."""


class AliasFinder:
    """A meta path finder mapping ``litellm.x.y`` to ``edgequake_litellm.x.y`` while aliased."""

    def find_spec(
        self,
        fullname: str,
        path: Optional[Sequence[str]] = None,
        target: Optional[ModuleType] = None,
    ) -> Optional[importlib.machinery.ModuleSpec]:
        if not fullname.startswith("litellm.") or sys.modules.get("litellm") is not sys.modules.get(
            _PACKAGE
        ):
            return None
        real = _PACKAGE + fullname[len("litellm") :]
        if importlib.util.find_spec(real) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", _AliasLoader(real)))


def install() -> None:
    """Put the finder first on ``sys.meta_path`` (once)."""
    if not any(isinstance(f, AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, AliasFinder())


def public_module(real: str) -> str:
    """The module name a class of module ``real`` reports: ``litellm.x`` while aliased.

    Under ``sys.modules["litellm"] = edgequake_litellm``, frameworks test
    ``type(e).__module__.startswith("litellm")`` (crewai: retry or not) and
    restricted unpicklers trust only ``litellm.types.*`` (dspy's cache). The
    ``litellm.x`` module is registered as ``edgequake_litellm.x`` itself, so
    pickle and pydantic find the class there; without the alias the real name
    is kept and a pickle does not depend on litellm.
    """
    if sys.modules.get("litellm") is not sys.modules.get(_PACKAGE):
        return real
    alias = "litellm" + real[len(_PACKAGE) :]
    module = sys.modules.get(real)
    if module is not None:
        sys.modules.setdefault(alias, module)
    return alias


class AliasNamed(type):
    """Metaclass: ``cls.__module__`` is :func:`public_module` of where the class is defined.

    A metaclass deriving from this one must repeat the property in its body
    (``__module__ = AliasNamed.__dict__["__module__"]``): its body's own
    ``__module__`` string would otherwise shadow it.
    """

    @property
    def __module__(cls) -> str:  # type: ignore[override]
        return public_module(cls.__dict__.get("__module__", _PACKAGE))
