// Runs first in <body>: tells the NHS.UK frontend CSS that JavaScript and ES modules work.
document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
