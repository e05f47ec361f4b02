"""The interactive HTML viewer of the graph."""

from kg.viz.html import DEFAULT_NODE_BUDGET, PaperInfo, render_viewer, viewer_data
from kg.viz.view import paper_infos, write_viewer

__all__ = ["DEFAULT_NODE_BUDGET", "PaperInfo", "paper_infos", "render_viewer", "viewer_data", "write_viewer"]
