import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Rust server serves dist/ at "/" with SPA fallback; the API lives on the same origin at /api/v1.
// In `npm run dev`, proxy the API to a running `quan demo` (QUAN_URL, default 127.0.0.1:18080).
const apiTarget = process.env.QUAN_URL ?? 'http://127.0.0.1:18080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': apiTarget,
      '/healthz': apiTarget,
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
