import { GengbaoError } from '../errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

/** The shortest password a person may choose: 10, above the 8 of 等保 2.0 practice, since nothing else is asked. */
export const MIN_PASSWORD_LENGTH = 10;

const CLASSES = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/];

/**
 * Refuses a password a person chooses (a new account, `gengbao user add`, `gengbao init` when
 * given one) that is short, of fewer than three kinds of character (lower case, upper case,
 * digits, symbols — the usual 等保 2.0 rule for government systems), a common password with
 * digits or symbols added, one long run of a single character, or that contains the username.
 * The message says what to change, in Chinese and English.
 */
export function checkNewPassword(password: string, username = ''): void {
  const refuse = (zh: string, en: string) => {
    throw new GengbaoError('bad_input', `密码不符合要求：${zh}。Password refused: ${en}.`, {
      field: 'password',
    });
  };
  if (password.length < MIN_PASSWORD_LENGTH)
    refuse(`至少 ${MIN_PASSWORD_LENGTH} 个字符`, `use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 256) refuse('不超过 256 个字符', 'use at most 256 characters');
  if (CLASSES.filter((c) => c.test(password)).length < 3) {
    refuse(
      '须包含小写字母、大写字母、数字、符号中的至少三种',
      'mix at least three of lower case, upper case, digits and symbols',
    );
  }
  const core = password.toLowerCase().replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (
    COMMON_PASSWORDS.has(password.toLowerCase()) ||
    (core.length > 0 && COMMON_PASSWORDS.has(core)) ||
    /^(.)\1+$/.test(password)
  ) {
    refuse(
      '这是常见密码或其简单变形，容易被猜中',
      'it is a common password or a simple variant of one',
    );
  }
  if (username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()))
    refuse('不能包含用户名', 'it must not contain the username');
}
