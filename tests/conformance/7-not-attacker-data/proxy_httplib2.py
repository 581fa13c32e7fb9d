"""A WebOb proxy forwards the request body with httplib2 and copies back the upstream's
headers: what the upstream answered is not the data sent to it, so copying its headers is
not header-injection; a value taken from the request is."""

import json

import httplib2
import webob
import webob.dec

UPSTREAM = "http://billing.internal:8080/invoices"
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade"}


@webob.dec.wsgify
def invoices_proxy(req):
    http = httplib2.Http(timeout=10)
    upstream, content = http.request(
        UPSTREAM,
        "POST",
        body=req.body,
        headers={"Content-Type": req.content_type, "X-Tenant": req.headers.get("X-Tenant", "")},
    )
    resp = webob.Response(body=content, status=int(upstream.status))
    for name, value in upstream.items():
        if name.lower() not in HOP_BY_HOP:
            resp.headers[name] = value  # ok: header-injection
    resp.headers["X-Invoice-Location"] = upstream.get("location", "")  # ok: header-injection
    resp.headers["X-Invoice-Ref"] = json.loads(req.body)["reference"]  # expect: header-injection
    return resp


@webob.dec.wsgify
def invoice_pdf(req):
    http = httplib2.Http(timeout=10)
    _, content = http.request(f"{UPSTREAM}/{req.params['id']}.pdf", "GET")
    resp = webob.Response(body=content, content_type="application/pdf")
    resp.headers["Content-Disposition"] = f"attachment; filename={req.params['name']}"  # expect: header-injection
    return resp
