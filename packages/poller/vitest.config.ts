import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'poller',
    include: ['test/**/*.test.ts'],
  },
});
