import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sender',
    include: ['test/**/*.test.ts'],
  },
});
