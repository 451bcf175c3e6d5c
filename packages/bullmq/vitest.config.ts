import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bullmq',
    include: ['test/**/*.test.ts'],
  },
});
