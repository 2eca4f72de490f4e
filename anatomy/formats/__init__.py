"""The ways a case can be written, each read into the plain document ``anatomy.case`` validates.

``document``: JSON or YAML text, with nesting, duplicate keys and encoding checked.
"""
