setTimeout(() => { throw 'a string, not an Error'; }, 1);
