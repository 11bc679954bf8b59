"""The returns plugin's services (no Flask views here): rules and queries on RMA requests.

Other plugins may use :func:`get_request` (the support plugin does)::

    from plugins.returns.services import get_request

    rma = get_request(session, request_id, company_id)   # None unless it is that company's
"""

from .requests import get_request
from .status import ReturnError, change_status

__all__ = ["ReturnError", "change_status", "get_request"]
