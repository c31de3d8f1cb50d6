import { describe, expect, it } from 'vitest';
import { checkNewPassword } from './password-policy.ts';

const refusal = (password: string, username?: string) => {
  try {
    checkNewPassword(password, username);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('checkNewPassword', () => {
  it('refuses 12345678 and other short passwords', () => {
    expect(refusal('12345678')).toMatch(/至少 10 个字符/);
    expect(refusal('Ab1!xyz')).toMatch(/at least 10 characters/);
  });

  it('refuses fewer than three kinds of character', () => {
    expect(refusal('abcdefghijkl')).toMatch(/至少三种/);
    expect(refusal('gengbao-demo')).toMatch(/至少三种/);
  });

  it('refuses common passwords dressed up with digits and symbols at the ends', () => {
    expect(refusal('Password123!')).toMatch(/常见密码/);
    expect(refusal('Woaini1314!!')).toMatch(/常见密码/);
    expect(refusal('!!Admin12345')).toMatch(/常见密码/);
  });

  it('refuses a password holding the username', () => {
    expect(refusal('Zz.officer-2026', 'zz.officer')).toMatch(/用户名/);
  });

  it('accepts a long mixed password', () => {
    expect(refusal('Tian-Zhang 7 jincheng', 'zz.village')).toBeNull();
    expect(refusal('k7#Rm2qL9x')).toBeNull();
  });
});
