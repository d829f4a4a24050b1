"""``ModelNotMappedError``, kept out of ``exceptions.py`` (which imports openai) so model-data
lookups stay light; ``litellm.exceptions.ModelNotMappedError`` is this class."""

from __future__ import annotations

from ._alias import AliasNamed


class ModelNotMappedError(Exception, metaclass=AliasNamed):
    """The model map has no entry for a model (``get_model_info``, ``completion_cost``);
    a plain ``Exception`` subclass, as in litellm 1.109."""

    __module__ = "edgequake_litellm.exceptions"
