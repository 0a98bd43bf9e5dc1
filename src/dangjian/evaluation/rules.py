"""The warnings a period computation stores: every rule of the core registry (`dangjian.core.rules`).

Each rule is defined once, by the app that owns the records it judges
(`<app>/warning_rules.py`); this module only reads the registry.
"""

from dangjian.core import rules as registry
from dangjian.core.rules import Finding, evaluate

__all__ = ["Finding", "evaluate", "rule_label", "rule_codes"]


def rule_label(code: str) -> str:
    return registry.label(code)


def rule_codes() -> list[str]:
    return [r.code for r in registry.all_rules()]
