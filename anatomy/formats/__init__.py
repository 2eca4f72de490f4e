"""The ways a case can be written, each read into the plain document ``anatomy.case`` validates.

``document``: JSON or YAML text, with nesting, duplicate keys and encoding checked.
``networkx``: a networkx graph whose nodes carry the vessel fields (in and out).
``nodelink``: networkx node-link JSON. ``graphml``: GraphML. ``swc``: an SWC centerline
with its sidecar. ``converted``: a converted document and its problems' places.
``inputs``: which reader a file or text needs (docs/input-formats.md).
"""
