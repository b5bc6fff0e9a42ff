import init, { Checker } from 'preclaim';
import claim from './claim.json';

init().then(() => {
  const checker = new Checker(); // once; reuse it for every claim
  const report = checker.check(claim, { locale: 'en' });
  document.querySelector('#report').textContent = JSON.stringify(report);
  document.querySelector('#status').textContent = report.status;
});
