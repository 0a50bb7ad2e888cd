// A good lesson
console.log("hi");
