// a deliberate syntax error
const x = ;
