module.exports = require('../eslintConfig')(__dirname);
