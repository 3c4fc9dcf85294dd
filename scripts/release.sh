#!/usr/bin/env bash
# `npm run release`.
# - In GitHub Actions (.github/workflows/publish.yml, started by a version tag): n8n's release, which
#   runs lint and build, then `npm publish` with npm provenance.
# - On a maintainer's machine: tags the version that package.json and CHANGELOG.md agree on and
#   pushes the tag, which starts publish.yml. Nothing is bumped here: the version is chosen when its
#   dated CHANGELOG section is written (`## [X.Y.Z] - YYYY-MM-DD`). Tags are plain `X.Y.Z`, the
#   pattern publish.yml listens to.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${GITHUB_ACTIONS:-}" ]; then exec npx n8n-node release; fi

die() { echo "release: $*" >&2; exit 1; }
version=$(node -p "require('./package.json').version")
grep -Eq "^## \[${version//./\\.}\] - [0-9]{4}-[0-9]{2}-[0-9]{2}$" CHANGELOG.md \
	|| die "CHANGELOG.md has no dated section '## [$version] - YYYY-MM-DD': write it first"
[ "$(git rev-parse --abbrev-ref HEAD)" = main ] || die "release from main"
[ -z "$(git status --porcelain)" ] || die "commit or drop your changes first"
git rev-parse -q --verify "refs/tags/$version" > /dev/null && die "tag $version exists already"
npm run lint
npm run build
git tag -a "$version" -m "n8n-nodes-wan-video $version"
git push origin "$version"
echo "release: tagged and pushed $version; GitHub Actions (publish.yml) publishes it to npm"
