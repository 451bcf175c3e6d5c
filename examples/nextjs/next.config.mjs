/** @type {import('next').NextConfig} */
const nextConfig = {
  // The workspace root, so Next does not guess it from the other lockfiles it finds.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
};

export default nextConfig;
