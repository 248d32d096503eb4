/** The app's version from package.json, put in by the build (scripts/build.mjs). */
declare const VIRTDECK_VERSION: string
