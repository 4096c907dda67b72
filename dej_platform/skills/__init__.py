"""Skills catalog (top-level `skills_catalog/`) and the vectorized skill detector."""

from dej_platform.skills.catalog import CatalogError, SkillCatalog, default_catalog, load_catalog
from dej_platform.skills.detector import SkillDetection, SkillDetector, default_detector

__all__ = [
    "CatalogError",
    "SkillCatalog",
    "SkillDetection",
    "SkillDetector",
    "default_catalog",
    "default_detector",
    "load_catalog",
]
