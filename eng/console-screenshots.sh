#!/usr/bin/env bash
# Retakes the console's picture in the README (docs/images/console.png) from the running demo, with the browser tests'
# own setup (Debian's Chromium through Playwright). Run it after a visible change to the console, then commit the image.
set -euo pipefail
cd "$(dirname "$0")/.."
DOPPEL_UPDATE_SCREENSHOTS=1 dotnet test tests/Doppel.IntegrationTests -c Release \
  --filter "FullyQualifiedName~ConsolePagesTests.Every_page_loads_without_a_browser_error_and_shows_its_content"
ls -l docs/images/console.png
