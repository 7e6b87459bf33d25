import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { initials } from '@/composables/format';
import UserAvatar from '@/components/common/UserAvatar.vue';

describe('avatar initials', () => {
  it('takes the first letters of the first two words', () => {
    expect(initials('Maria Oliveira Santos')).toBe('MO');
    expect(initials('  ana  ')).toBe('A');
    expect(initials('Émile Ávila')).toBe('ÉÁ');
  });

  it('a contact named by their number has no initials, and the avatar shows a person instead of "+5"', () => {
    expect(initials('+55 21 99999-0000')).toBe('');
    expect(initials('Loja 24h')).toBe('L');
    const avatar = mount(UserAvatar, { props: { name: '+55 21 99999-0000' } });
    expect(avatar.text()).toBe('');
    expect(avatar.find('svg').exists()).toBe(true);
    expect(mount(UserAvatar, { props: { name: 'Ana Souza' } }).text()).toBe('AS');
  });
});
