// The desk: "Cite the selection" copies the passage selected in the article, with its position, into the
// first empty citation. The position is counted in the article's text, which the page shows unaltered.
(function () {
  "use strict";
  function offsetIn(root, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(root);
    range.setEnd(node, offset);
    return range.toString().length;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("desk-cite");
    var text = document.getElementById("desk-text");
    if (!button || !text) { return; }
    button.addEventListener("click", function () {
      var selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) { return; }
      var range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) { return; }
      var start = offsetIn(text, range.startContainer, range.startOffset);
      var passage = range.toString();
      var trimmed = passage.replace(/^\s+/, "");
      start += passage.length - trimmed.length;
      passage = trimmed.replace(/\s+$/, "");
      var rows = document.querySelectorAll(".desk-citation");
      for (var i = 0; i < rows.length; i++) {
        var area = rows[i].querySelector(".desk-passage");
        if (area && !area.value) {
          area.value = passage;
          rows[i].querySelector(".desk-start").value = start;
          area.focus();
          return;
        }
      }
    });
  });
}());
