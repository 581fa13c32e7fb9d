"""The standard library: process, file, code, network, XML and logging APIs."""

from secreview.python.taint.spec import (
    ALL,
    ARCHIVE,
    ARCHIVE_TEXT,
    FILE_TEXT,
    Guard,
    Handler,
    Invoker,
    Sanitizer,
    Sink,
    Source,
)

_F = frozenset

# the member names an archive lists, and the file names a mail's attachments give: whoever
# made the archive or sent the mail chose them, and `../../etc/cron.d/x` climbs out of the
# directory they are written to (zip slip). Whatever the archive is, for path sinks only.
_ARCHIVE_NAMES = (
    *(
        (f"{owner}.{method}", "member name of an archive")
        for owner in ("zipfile.ZipFile", ".")
        for method in ("namelist", "infolist")
    ),
    *(
        (f"{owner}.{method}", "member name of an archive")
        for owner in ("tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", ".")
        for method in ("getmembers", "getnames")
    ),
    *(
        (f"{owner}.get_filename", "file name of a mail attachment")
        for owner in ("email.message.Message", "email.message.EmailMessage", ".")
    ),
)

SOURCES = (
    *(
        Source(name.replace("..", "."), ARCHIVE, what, "medium", call=True)
        for name, what in _ARCHIVE_NAMES
    ),
    Source("sys.argv", "cli", "command-line argument", confidence="low"),
    Source("builtins.input", "cli", "interactive input", confidence="low", call=True),
    Source("os.environ", "env", "environment variable", confidence="low"),
    Source("os.getenv", "env", "environment variable", confidence="low", call=True),
    Source("os.environb", "env", "environment variable", confidence="low"),
    Source("argparse.ArgumentParser.parse_args", "cli", "command-line argument", "low", call=True),
    Source("argparse.ArgumentParser.parse_known_args", "cli", "command-line argument", "low", True),
    Source("cgi.FieldStorage", "http", "CGI form data", call=True),
    Source("socket.socket.recv", "network", "data read from a socket", "medium", call=True),
    Source("socket.socket.recvfrom", "network", "data read from a socket", "medium", call=True),
    Source("socket.socket.makefile", "network", "data read from a socket", "medium", call=True),
    # a connection accepted by a listening socket, or opened by create_connection
    *(
        Source(f"{origin}.{method}", "network", "data read from a socket", "medium", call=True)
        for origin in ("socket.socket.accept", "socket.create_connection")
        for method in ("recv", "recvfrom", "makefile")
    ),
)

# The environment is the operator's, set before the program starts: a file path or a log
# line it names is configuration, not an attack. A command, a query, code or a request
# destination built from it is still worth a look (at two severity steps down).
SOURCE_KIND_RULES = {
    "env": frozenset(
        {"command-injection", "code-injection", "sql-injection", "unsafe-deserialization"}
        | {"template-injection", "ssrf", "xss", "xxe", "xpath-injection", "ldap-injection"}
        | {"open-redirect", "regex-redos", "xml-entity-expansion", "processutils-shell"}
    ),
    # an archive's member names (below): the path they climb out of is the attack
    ARCHIVE: frozenset({"path-traversal"}),
}

_HASHES = (
    *("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s", "new"),
    *("sha3_224", "sha3_256", "sha3_384", "sha3_512", "shake_128", "shake_256"),
)
_COMPRESSED = ("gzip", "bz2", "lzma")
_SUBPROCESS = ("call", "run", "Popen", "check_call", "check_output")
_EXEC = ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe")
_SPAWN = ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")

SINKS = (
    # xss: an http.server handler's response stream, after it sent an HTML content type
    Sink(".write", "xss", (0,), "wfile_html", receiver="wfile"),
    # command-injection: a shell parses the string, or the attacker picks the program
    *(Sink(f"subprocess.{f}", "command-injection", (0, "args"), "shell") for f in _SUBPROCESS),
    *(Sink(f"subprocess.{f}", "command-injection", (0, "args"), "program") for f in _SUBPROCESS),
    Sink("subprocess.getoutput", "command-injection", (0, "cmd")),
    Sink("subprocess.getstatusoutput", "command-injection", (0, "cmd")),
    Sink("os.system", "command-injection", (0, "command")),
    Sink("os.popen", "command-injection", (0, "cmd")),
    *(Sink(f"os.{f}", "command-injection", (0, "path", "file"), "exec_program") for f in _EXEC),
    *(Sink(f"os.{f}", "command-injection", (1, "file"), "exec_program") for f in _SPAWN),
    Sink("os.posix_spawn", "command-injection", (0, "path")),
    Sink("os.posix_spawnp", "command-injection", (0, "path")),
    Sink("asyncio.create_subprocess_shell", "command-injection", (0, "cmd")),
    Sink("asyncio.create_subprocess_exec", "command-injection", (0,), "program_or_shell"),
    Sink("platform.popen", "command-injection", (0, "cmd")),
    Sink("commands.getoutput", "command-injection", (0,)),
    # code-injection
    Sink("builtins.eval", "code-injection", (0, "source")),
    Sink("builtins.exec", "code-injection", (0, "source")),
    Sink("builtins.compile", "code-injection", (0, "source")),
    # path-traversal: the attacker names the file
    Sink("builtins.open", "path-traversal", (0, "file")),
    Sink("io.open", "path-traversal", (0, "file")),
    Sink("codecs.open", "path-traversal", (0, "filename")),
    Sink("os.open", "path-traversal", (0, "path")),
    # compressed files: a name or an open file object (an upload's stream) may go in
    *(Sink(f"{m}.open", "path-traversal", (0, "filename"), "path_text") for m in _COMPRESSED),
    *(
        Sink(f"os.{f}", "path-traversal", (0, "path", "src"))
        for f in (
            "remove",
            "unlink",
            "rmdir",
            "removedirs",
            "mkdir",
            "makedirs",
            "listdir",
            "chmod",
            "chown",
            "truncate",
            "scandir",
        )
    ),
    *(
        Sink(f"os.{f}", "path-traversal", (0, 1, "src", "dst"))
        for f in ("rename", "replace", "link", "symlink")
    ),
    *(
        Sink(f"shutil.{f}", "path-traversal", (0, 1, "src", "dst"))
        for f in ("copy", "copy2", "copyfile", "copytree", "move")
    ),
    Sink("shutil.rmtree", "path-traversal", (0, "path")),
    *(
        Sink(f"pathlib.Path.{m}", "path-traversal", ("receiver",))
        for m in (
            "open",
            "read_text",
            "read_bytes",
            "write_text",
            "write_bytes",
            "unlink",
            "rmdir",
            "mkdir",
            "touch",
            "rename",
            "replace",
            "iterdir",
        )
    ),
    # the same methods on a path the engine cannot type, e.g. `(BASE_DIR / name).read_text()`;
    # only names no other common API uses (not `.open`)
    *(
        Sink(f".{m}", "path-traversal", ("receiver",), receiver="any")
        for m in ("read_text", "read_bytes", "write_text", "write_bytes", "unlink", "iterdir")
    ),
    # tar only: zipfile strips '..' and absolute paths from member names itself
    *(
        Sink(f".{m}", "path-traversal", ("receiver",), "no_extract_filter", receiver="tar_archive")
        for m in ("extractall", "extract")
    ),
    # an uploaded zip extracted whole: a few KB can inflate to gigabytes (zip bomb)
    Sink(".extractall", "zip-extract-untrusted", ("receiver",), receiver="zip_archive"),
    Sink(".extract", "zip-extract-untrusted", ("receiver",), receiver="zip_archive"),
    # unsafe-deserialization
    *(
        Sink(f"{m}.{f}", "unsafe-deserialization", (0, "data", "file"))
        for m in ("pickle", "cPickle", "_pickle", "dill", "cloudpickle")
        for f in ("loads", "load")
    ),
    Sink("pickle.Unpickler", "unsafe-deserialization", (0, "file")),
    Sink("marshal.loads", "unsafe-deserialization", (0, "bytes")),
    Sink("marshal.load", "unsafe-deserialization", (0, "file")),
    Sink("shelve.open", "unsafe-deserialization", (0, "filename")),
    # ssrf
    Sink("urllib.request.urlopen", "ssrf", (0, "url")),
    Sink("urllib.request.Request", "ssrf", (0, "url")),
    Sink("urllib.request.urlretrieve", "ssrf", (0, "url")),
    Sink("urllib2.urlopen", "ssrf", (0, "url")),
    Sink("http.client.HTTPConnection", "ssrf", (0, "host")),
    Sink("http.client.HTTPSConnection", "ssrf", (0, "host")),
    Sink("socket.create_connection", "ssrf", (0, "address")),
    # xpath-injection with ElementTree (its find* take a path expression)
    *(
        Sink(f"xml.etree.ElementTree.{c}.{m}", "xpath-injection", (0, "path"))
        for c in ("parse", "fromstring", "XML", "ElementTree", "Element", "parse.getroot")
        for m in ("find", "findall", "findtext", "iterfind")
    ),
    # xxe: pulldom with a caller-supplied SAX parser (which may have external entities on).
    # xml.sax.parse/parseString build a default parser, which since Python 3.7.1 does not
    # resolve external entities, and their second argument is the content handler.
    Sink("xml.dom.pulldom.parseString", "xxe", (0, "string"), "sax_external_entities"),
    Sink("xml.dom.pulldom.parse", "xxe", (0, "stream_or_string"), "sax_external_entities"),
    # log-injection: a message built from attacker text forges entries (CR/LF); lazy `%s`
    # arguments go through the formatter and are not reported
    *(
        Sink(f"logging.{f}", "log-injection", (0, "msg"))
        for f in ("debug", "info", "warning", "warn", "error", "critical", "exception")
    ),
    *(
        Sink(f".{f}", "log-injection", (0, "msg"), receiver="logger")
        for f in ("debug", "info", "warning", "warn", "error", "critical", "exception")
    ),
    # header-injection: http.server writes header values as given (no CR/LF check)
    *(
        Sink(f"http.server.{c}.send_header", "header-injection", (1, "value"))
        for c in ("BaseHTTPRequestHandler", "SimpleHTTPRequestHandler", "CGIHTTPRequestHandler")
    ),
)

_SAFE_VALUE = _F({ALL})

SANITIZERS = (
    # the result is not free text an attacker controls
    *(
        Sanitizer(f"builtins.{f}")
        for f in (
            "int",
            "float",
            "bool",
            "len",
            "abs",
            "round",
            "hash",
            "id",
            "ord",
            "isinstance",
            "issubclass",
            "callable",
            "complex",
            "hex",
            "oct",
            "bin",
        )
    ),
    Sanitizer("uuid.UUID"),
    Sanitizer("ipaddress.ip_address"),
    Sanitizer("ipaddress.ip_network"),
    Sanitizer("ipaddress.ip_interface"),
    Sanitizer("datetime.datetime.fromisoformat"),
    Sanitizer("datetime.date.fromisoformat"),
    Sanitizer("hmac.compare_digest"),
    Sanitizer("secrets.compare_digest"),
    Sanitizer("os.path.exists"),
    Sanitizer("os.path.isfile"),
    Sanitizer("os.path.isdir"),
    Sanitizer("os.path.getsize"),
    # a digest is hex or bytes of fixed length, whatever went in and whichever hash made it
    *(Sanitizer(f"hashlib.{name}") for name in _HASHES),
    Sanitizer("hmac.new"),
    Sanitizer("hmac.digest"),
    # a name-based UUID is a hash of the name
    Sanitizer("uuid.uuid3"),
    Sanitizer("uuid.uuid5"),
    # what a command prints is the program's output, not the arguments or the input it was
    # given: a tainted command line is reported where the command is run (a program that
    # echoes its input back, like `cat`, is the exception this accepts)
    *(Sanitizer(f"subprocess.{f}") for f in ("run", "check_output", "getoutput", "Popen")),
    Sanitizer("subprocess.getstatusoutput"),
    Sanitizer("subprocess.Popen.communicate"),
    Sanitizer(".communicate"),
    # what a file holds is what was written to it, not the name it was opened by: a
    # requested path is reported once, at the open, never again as text read from it.
    # A file whose content is itself the attack (a pickle, code, an XML bomb) is another
    # matter: choosing which one is loaded is choosing what runs
    Sanitizer("builtins.open", FILE_TEXT),
    Sanitizer("io.open", FILE_TEXT),
    Sanitizer("codecs.open", FILE_TEXT),
    *(Sanitizer(f"{m}.open", FILE_TEXT, "opens_a_name") for m in _COMPRESSED),
    # an archive opened by name holds what was written into it; one opened on an upload
    # (its stream, its bytes) holds the uploader's (`conditions.opened_file`)
    *(
        Sanitizer(name, ARCHIVE_TEXT, "opens_a_name")
        for name in ("zipfile.ZipFile", "tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open")
    ),
    *(Sanitizer(f"pathlib.Path.{m}", FILE_TEXT) for m in ("open", "read_text", "read_bytes")),
    Sanitizer(".read_text", FILE_TEXT),
    Sanitizer(".read_bytes", FILE_TEXT),
    # neutralised for one kind of sink only
    Sanitizer("shlex.quote", _F({"command-injection"})),
    Sanitizer("pipes.quote", _F({"command-injection"})),
    Sanitizer("os.path.basename", _F({"path-traversal"})),
    # a file in memory names no file (`send_file(io.BytesIO(report), ...)`)
    Sanitizer("io.BytesIO", _F({"path-traversal"})),
    Sanitizer("io.StringIO", _F({"path-traversal"})),
    # properties work too: `Path(name).name` is the final component, like basename
    Sanitizer("pathlib.Path.name", _F({"path-traversal"})),
    Sanitizer("pathlib.PurePath.name", _F({"path-traversal"})),
    # HTML escaping keeps CR/LF: no help against forged log lines or headers
    Sanitizer("html.escape", _F({"xss"})),
    # line breaks stripped: `x.replace("\r", "").replace("\n", "")`, `re.sub(r"[\r\n]", "", x)`
    Sanitizer(".replace", _F({"log-injection", "header-injection"}), "strips_crlf"),
    # `name.replace("'", "''")`: SQL's own escape inside a quoted string literal
    Sanitizer(".replace", _F({"sql-injection"}), "doubles_quotes"),
    # `x.replace("<", "&lt;").replace(">", "&gt;")`: a hand-written HTML escape
    Sanitizer(".replace", _F({"xss"}), "escapes_html"),
    # `re.sub` strips what its pattern matches: line breaks, path separators and `..`,
    # every character outside a kept class (`re.sub(r"[^a-z0-9_]", "", x)`): see
    # `conditions.sub_clears`
    Sanitizer("re.sub", _F(), computes="sub_clears"),
    # a `.replace` chain that takes out every `/` and every `..` (in one statement or in
    # several: path-traversal is cleared in those two parts)
    Sanitizer(".replace", _F(), computes="replace_clears"),
    # `"".join(c for c in x if c in ALLOWED)`: only allow-listed characters are kept
    Sanitizer(".join", _F(), computes="join_clears"),
    Sanitizer("cgi.escape", _F({"xss"})),
    Sanitizer("xml.sax.saxutils.escape", _F({"xss"})),
    Sanitizer("xml.sax.saxutils.quoteattr", _F({"xss"})),
    Sanitizer(
        "urllib.parse.quote", _F({"xss", "header-injection", "log-injection", "open-redirect"})
    ),
    Sanitizer(
        "urllib.parse.quote_plus", _F({"xss", "header-injection", "log-injection", "open-redirect"})
    ),
    Sanitizer("urllib.parse.urlencode", _F({"xss", "header-injection", "log-injection"})),
    Sanitizer("builtins.repr", _F({"log-injection", "header-injection"})),
    Sanitizer("json.dumps", _F({"log-injection", "header-injection"})),
    Sanitizer(".isoformat", _SAFE_VALUE),
    # a Request object is reported where its URL goes in (it is a sink), not again where
    # it is opened
    Sanitizer("urllib.request.Request", _F({"ssrf"})),
)

GUARDS = (
    # `if x.isdigit():` / `if re.fullmatch(PATTERN, x):` -> x is constrained
    *(
        Guard(f".{m}", arg="receiver")
        for m in ("isdigit", "isnumeric", "isdecimal", "isalnum", "isalpha", "isidentifier")
    ),
    Guard("re.fullmatch", arg=1, keyword="string"),
    Guard("re.match", arg=1, keyword="string"),
    Guard(".fullmatch", arg=0, keyword="string"),
    Guard(".match", arg=0, keyword="string"),
    # path containment: `if resolved.startswith(base)` / `is_relative_to` / commonpath
    Guard(".startswith", _F({"path-traversal", "open-redirect", "ssrf"}), arg="receiver"),
    Guard(".is_relative_to", _F({"path-traversal"}), arg="receiver"),
)

# `x.get(key)`, `x.pop(key)`: what the mapping, cache or API client holds under the key,
# never the key itself (as `x[key]` is): the record a client returns for an attacker's id
# is the server's. Their other arguments (a default) still pass through.
KEY_LOOKUP_METHODS = ("get", "pop")

NON_PROPAGATING_METHODS = (
    "startswith",
    "endswith",
    "isdigit",
    "isnumeric",
    "isdecimal",
    "isalnum",
    "isalpha",
    "isidentifier",
    "islower",
    "isupper",
    "isspace",
    "count",
    "find",
    "rfind",
    "index",
    "rindex",
    "exists",
    "is_file",
    "is_dir",
    "is_absolute",
    "is_relative_to",
    "__len__",
    "__contains__",
    "keys_count",
    "has_key",
    "fileno",
    "tell",
    "close",
)

# calls that call a function they are given (its arguments: see `Invoker`)
_THREAD = ((3, "args"), (4, "kwargs"))  # Thread(group, target, name, args, kwargs)
INVOKERS = (
    Invoker("builtins.map", args="elements"),
    Invoker("builtins.filter", args="elements", result="same"),
    Invoker("functools.partial", result="partial"),
    Invoker("threading.Thread", 1, "target", "packed", _THREAD, "same"),
    Invoker("multiprocessing.Process", 1, "target", "packed", _THREAD, "same"),
    Invoker("threading.Timer", 1, "function", "packed", ((2, "args"), (3, "kwargs")), "same"),
    Invoker("asyncio.to_thread"),
    Invoker("contextvars.Context.run"),
    # executors (`ThreadPoolExecutor().submit`, whatever the receiver: `self.pool.submit`)
    Invoker(".submit"),
    Invoker(".run_in_executor", 1),
    Invoker(".apply_async", 0, "func", "packed", ((1, "args"), (2, "kwds"))),
    Invoker(".apply", 0, "func", "packed", ((1, "args"), (2, "kwds"))),
    Invoker("concurrent.futures.ThreadPoolExecutor.map", args="elements"),
    Invoker("concurrent.futures.ProcessPoolExecutor.map", args="elements"),
    Invoker("multiprocessing.pool.Pool.map", args="elements"),
    Invoker("multiprocessing.pool.ThreadPool.map", args="elements"),
    Invoker("multiprocessing.Pool.map", args="elements"),
)

# http.server handlers and raw WSGI applications
HANDLERS = (
    Handler(
        framework="http.server",
        imports=("http.server", "BaseHTTPServer", "SimpleHTTPServer"),
        description="http.server request",
        bases=_F(
            {
                "BaseHTTPRequestHandler",
                "SimpleHTTPRequestHandler",
                "CGIHTTPRequestHandler",
                "StreamRequestHandler",
                "BaseRequestHandler",
            }
        ),
        methods=_F({"do_GET", "do_POST", "do_PUT", "do_DELETE", "do_PATCH", "do_HEAD", "handle"}),
        params=(),
        self_sources=_F({"path", "headers", "rfile", "requestline", "raw_requestline", "request"}),
        every_method=True,
    ),
    Handler(
        framework="wsgi",
        imports=(),
        description="WSGI environ",
        params=("environ",),
        signature=("environ", "start_response"),
    ),
    # an ASGI application: `scope` holds the request line and headers, and what `receive()`
    # gives is the client's body (keys the server sets: `SCOPE_SERVER_KEYS`)
    Handler(
        framework="asgi",
        imports=(),
        description="ASGI request",
        params=("scope", "receive"),
        signature=("scope", "receive", "send"),
    ),
)

# ASGI scope keys the server sets (the rest is the request's: path, query_string, headers)
SCOPE_SERVER_KEYS = (
    "type",
    "asgi",
    "http_version",
    "scheme",
    "server",
    "client",
    "root_path",
    "app",
    "state",
    "extensions",
    "router",
    "endpoint",
    "route",
    "user",
    "auth",
    "session",
)

# WSGI environ keys that come from the request (the rest is set by the server/middleware)
ENVIRON_KEYS = (
    "HTTP_",
    "QUERY_STRING",
    "PATH_INFO",
    "REQUEST_URI",
    "RAW_URI",
    "CONTENT_TYPE",
    "CONTENT_LENGTH",
    "wsgi.input",
    "SCRIPT_NAME",
    "REMOTE_USER",
)
