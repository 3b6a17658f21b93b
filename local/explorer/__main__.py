import sys

from local.explorer import render_asyncapi_html

sys.stdout.write(render_asyncapi_html())
