"""xlsx exports for projects, duty, surveys and assessment (see dangjian.core.xlsx)."""

from dangjian.core.xlsx import export_xlsx

__all__ = ["export_xlsx"]
