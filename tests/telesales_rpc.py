"""A minimal outside client of Odoo for the system tests: the same call over XML-RPC
(/xmlrpc/2/object, xmlrpc.client) or JSON-RPC (/jsonrpc), answered as one `Outcome`, so a
probe states its expectation once for both protocols."""
import json
import re
import urllib.request
import xmlrpc.client

PROTOCOLS = ("xmlrpc", "jsonrpc")

# What kind of answer came back: data (None), an access refusal, a user-facing error
# (UserError and its kin: ValidationError, MissingError, RedirectWarning), or anything
# else (a crash: a traceback of another kind).
ACCESS, USER, OTHER = "access", "user", "other"
_USER_ERRORS = {"odoo.exceptions." + name for name in (
    "UserError", "ValidationError", "MissingError", "RedirectWarning")}
# XML-RPC fault codes of /xmlrpc/2 (odoo/addons/rpc/controllers/xmlrpc.py).
_FAULT_KINDS = {4: ACCESS, 2: USER}

# Odoo refuses export_data to users without the export right (base.group_allow_export)
# with a UserError: a refusal of access too.
EXPORT_DENIED = re.compile(r"rights to export data")
# Text a user must never see in an error: the database talking.
SQL_ECHO = re.compile(r"psycopg2|SELECT |INSERT ")


class Outcome:
    def __init__(self, protocol, result=None, kind=None, name="", message="", debug=""):
        self.protocol, self.result, self.kind = protocol, result, kind
        self.name, self.message, self.debug = name, message, debug

    @property
    def ok(self):
        return self.kind is None

    @property
    def denied(self):
        """An access refusal: an AccessError, or Odoo's refusal to export."""
        return self.kind == ACCESS or (self.kind == USER and bool(EXPORT_DENIED.search(self.message)))

    @property
    def text(self):
        """Everything the client received, as text (to look for leaked values)."""
        if self.ok:
            return json.dumps(self.result, ensure_ascii=False, default=str)
        return f"{self.name}\n{self.message}\n{self.debug}"

    def __repr__(self):
        if self.ok:
            return f"<{self.protocol} data {self.text[:300]}>"
        return f"<{self.protocol} {self.kind} {self.name}: {self.message[:400]!r}>"


class Client:
    """One user's connection to one server. Not shared between threads."""

    def __init__(self, url, db, login, password, uid=None):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.uid = uid or self.authenticate()
        self._xmlrpc = None

    def _json(self, service, method, *args, timeout=120):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
                   "params": {"service": service, "method": method, "args": list(args)}}
        request = urllib.request.Request(self.url + "/jsonrpc", json.dumps(payload).encode(),
                                         {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def authenticate(self):
        uid = self._json("common", "login", self.db, self.login, self.password)["result"]
        assert uid, f"{self.login} cannot log in"
        return uid

    def call(self, protocol, model, method, args=(), kwargs=None):
        kwargs = kwargs or {}
        if protocol == "jsonrpc":
            answer = self._json("object", "execute_kw", self.db, self.uid, self.password,
                                model, method, list(args), kwargs)
            if "error" not in answer:
                return Outcome(protocol, answer["result"])
            data = answer["error"].get("data") or {}
            name = data.get("name", "")
            kind = ACCESS if name == "odoo.exceptions.AccessError" else \
                USER if name in _USER_ERRORS else OTHER
            return Outcome(protocol, kind=kind, name=name,
                           message=data.get("message") or answer["error"].get("message", ""),
                           debug=data.get("debug", ""))
        if self._xmlrpc is None:
            self._xmlrpc = xmlrpc.client.ServerProxy(
                self.url + "/xmlrpc/2/object", allow_none=True, use_builtin_types=True)
        try:
            result = self._xmlrpc.execute_kw(self.db, self.uid, self.password, model, method,
                                             list(args), kwargs)
        except xmlrpc.client.Fault as fault:
            kind = _FAULT_KINDS.get(fault.faultCode, OTHER)
            # Codes 2 and 4 carry the message; code 1 carries the whole traceback.
            return Outcome(protocol, kind=kind, name=f"fault {fault.faultCode}",
                           message=fault.faultString if kind != OTHER else fault.faultString[-600:],
                           debug=fault.faultString if kind == OTHER else "")
        return Outcome(protocol, result)
