export { forgeCookieModule } from './forgeCookieModule';
