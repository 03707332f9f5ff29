"""The child process that fills an office's uploaded Word template (see ``fazhi.doctemplates``).

Run as ``python -I fazhi/template_sandbox.py`` with a JSON request on stdin; writes the .docx to
stdout, or exits 2 with a Chinese message on stderr. It imports neither Django nor the database:
a template is data written by a user, so it is rendered here, in a process limited in CPU time and
memory by the parent, with a Jinja sandbox that refuses attribute tricks (``''.__class__``), bounds
``range`` and the ``*``/``**`` operators, has no ``|safe`` (so every value is XML-escaped), and
errors on any name that is not one of the contract's fields.
"""

from __future__ import annotations

import base64
import io
import json
import operator
import resource
import sys
from pathlib import Path

MAX_RANGE = 1_000  # the contract's lists are short; a longer loop is a mistake or an attack
MAX_SEQUENCE = 100_000  # the longest string or list "*" may build
MAX_OUTPUT = 30 * 1024 * 1024  # the rendered .docx


class Refused(Exception):
    """Stops the render; the message is shown to the coordinator."""


MAX_ITERATIONS = 100_000  # all loops of one render together


class _Budget:
    spent = 0


class CountingList(list):
    """A list whose every iteration step is charged to the render's budget, so that nested loops
    (over ``range`` or the contract's lists) stop long before they cost real time."""

    def __iter__(self):
        for item in super().__iter__():
            _Budget.spent += 1
            if _Budget.spent > MAX_ITERATIONS:
                raise Refused(f"模板中的循环总次数超过 {MAX_ITERATIONS:,} 次的限制，已停止。")
            yield item


def _bounded_range(*args: int) -> CountingList:
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise Refused(f"模板中的循环次数超过 {MAX_RANGE:,} 次的限制，已停止。")
    return CountingList(r)


def _bounded_filter(func):
    """Filters that take a width or count (|center(10**9)) refuse a number no document needs."""

    def wrapper(*args, **kwargs):
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10_000:
                raise Refused("模板中过滤器的参数超出限制，已停止。")
        return func(*args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(func, attr):
            setattr(wrapper, attr, getattr(func, attr))
    return wrapper


def make_environment():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    # Immutable: a template cannot change the lists it is given (recipients.append(…)).
    class Sandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator_name, left, right):
            if operator_name == "**":
                if isinstance(right, int | float) and abs(right) > 100:
                    raise Refused("模板中的乘方运算超出限制，已停止。")
                return operator.pow(left, right)
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_SEQUENCE:
                    raise Refused("模板中的重复运算生成的内容过长，已停止。")
            return operator.mul(left, right)

    env = Sandbox(autoescape=True, undefined=StrictUndefined, auto_reload=False, cache_size=0)
    env.globals = {"range": _bounded_range}
    # |safe would let a value skip XML escaping and write raw XML into the document.
    env.filters.pop("safe", None)
    for name in ("center", "indent", "truncate", "wordwrap", "batch", "slice", "random"):
        if name in env.filters:
            env.filters[name] = _bounded_filter(env.filters[name])
    return env


def _limit_resources(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # writes nothing but its stdout pipe


def render(template: bytes, doc_json: dict) -> bytes:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from jinja2.sandbox import SecurityError

    from fazhi.officialdoc import document_from_json, template_context

    doc = document_from_json(doc_json)
    tpl = DocxTemplate(io.BytesIO(template))
    try:
        tpl.render_init()  # so new_subdoc() has a document to attach to
        context = {
            name: CountingList(value) if isinstance(value, list) else value
            for name, value in template_context(doc, subdoc=tpl.new_subdoc()).items()
        }
        tpl.render(context, jinja_env=make_environment(), autoescape=True)
    except Refused:
        raise
    except SecurityError as exc:
        raise Refused("模板中含有不允许的操作（访问内部属性或方法），已拒绝。") from exc
    except UndefinedError as exc:
        raise Refused(f"模板中使用了不存在的字段：{exc.message}。") from exc
    except TemplateSyntaxError as exc:
        from fazhi.doctemplates import syntax_message

        raise Refused(syntax_message(exc)) from exc
    except TemplateError as exc:
        raise Refused(f"模板无法填充：{exc.message or type(exc).__name__}。") from exc
    except (OverflowError, RecursionError, MemoryError) as exc:
        raise Refused("模板运算超出限制，已停止。") from exc
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError) as exc:
        raise Refused(f"模板无法填充（{type(exc).__name__}）。请检查模板中的标记。") from exc
    out = io.BytesIO()
    tpl.save(out)
    data = out.getvalue()
    if len(data) > MAX_OUTPUT:
        raise Refused("填充后的文件过大，已停止。")
    return data


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    # Everything is imported before the limits start: imports are our cost, not the template's.
    import docxtpl
    import docxtpl.subdoc  # noqa: F401
    import jinja2.sandbox  # noqa: F401

    import fazhi.doctemplates
    import fazhi.officialdoc  # noqa: F401

    _limit_resources(int(request["cpu_seconds"]), int(request["memory_bytes"]))
    try:
        data = render(base64.b64decode(request["template"]), request["document"])
    except Refused as exc:
        sys.stderr.write(str(exc))
        sys.exit(2)
    except MemoryError:
        sys.stderr.write("模板运算占用内存超出限制，已停止。")
        sys.exit(2)
    sys.stdout.buffer.write(data)


if __name__ == "__main__":
    # Isolated mode (-I) leaves the project off sys.path: add it, and nothing else.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
