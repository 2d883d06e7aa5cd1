"""How large a file the console takes by upload, and so how large its upload requests may be.

The server refuses a request body over its route's cap before reading it (api/limits.py); the
console's upload routes are capped at their file's limit plus room for the form around it, so a
file over its limit but under the cap reaches the route and is answered with a page that says so,
and the browser is told the limit beforehand (the pages check a chosen file's size before sending).
"""

from __future__ import annotations

MB = 1024 * 1024
REGISTER_FILE_BYTES = 20 * MB  # a register of 100,000 rows is ~10 MB as XLSX
FORM_FILE_BYTES = 1 * MB  # a form's YAML is tens of KB
# The multipart envelope (boundaries, headers, the CSRF field) is small; a megabyte of room lets
# a slightly-too-large file get its page instead of a bare refusal.
REGISTER_BODY_BYTES = REGISTER_FILE_BYTES + MB
FORM_BODY_BYTES = FORM_FILE_BYTES + 256 * 1024

REGISTER_ROUTE = "/console/enterprises/import"
FORM_ROUTE = "/console/forms"


def too_large(limit: int) -> str:
    return f"文件超过 {limit // MB} MB，未上传：请拆分或压缩后重试"


def over_cap(path: str, cap: int) -> str:
    """What a console page says when a request passed its route's cap (api/limits.py refused it
    unread): the file limit the person chose against, in megabytes."""
    limit = {REGISTER_ROUTE: REGISTER_FILE_BYTES, FORM_ROUTE: FORM_FILE_BYTES}.get(path, cap)
    return f"上传的内容过大，未上传：此处一次至多接受 {max(1, limit // MB)} MB。请拆分或压缩文件后重试。"
