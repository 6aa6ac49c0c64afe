#!/bin/sh
# Writes the greeting page, then serves /www until told to stop.
echo "<h1>${GREETING}</h1>" > /www/index.html
trap 'exit 0' TERM INT
httpd -f -p 8080 -h /www &
wait
