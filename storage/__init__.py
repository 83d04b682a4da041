"""SQLAlchemy storage. Every table module is imported here, so `Base.metadata` is complete."""

from storage import (  # noqa: F401 - their tables belong to Base.metadata
    models_conversation,
    models_install,
    models_ops,
)
