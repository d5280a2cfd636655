"""The one input/output layer every command and notebook uses."""

from brandrep.io.writing import atomic_path, write_table, write_text

__all__ = ["atomic_path", "write_table", "write_text"]
