/* Loaded between require.js and @jupyter-widgets/html-manager's embed-amd.js on pages with
 * widgets (nb_ipywidgets_js in _config.yml); copied to _build/html/_offline/ by nuem_offline.py.
 *
 * 1. The HTML manager derives the URL of its own assets (Font Awesome fonts) from its AMD module
 *    id "@jupyter-widgets/html-manager/dist/...", resolved by require.js relative to the page.
 *    Map that id to the local copy next to this file.
 * 2. ipywidgets typesets widget labels with the MathJax 2 call MathJax.Hub.Queue; the book uses
 *    MathJax 3, which has no Hub.  Provide a Hub.Queue that calls MathJax 3's typesetPromise.
 */
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : "";
  var base = here.slice(0, here.lastIndexOf("/") + 1);
  if (window.require && window.require.config && base) {
    window.require.config({paths: {"@jupyter-widgets/html-manager/dist": base + "html-manager"}});
  }

  function installHub() {
    var mj = window.MathJax;
    if (!mj || mj.Hub) { return; }
    mj.Hub = {
      Queue: function (job) {
        var el = job && job.length > 2 ? job[2] : null;
        var run = function () {
          if (window.MathJax.typesetPromise) {
            window.MathJax.typesetPromise(el ? [el] : undefined).catch(function (err) {
              console.warn("MathJax typeset of a widget failed:", err);
            });
          }
        };
        if (mj.startup && mj.startup.promise) { mj.startup.promise.then(run); } else { run(); }
      }
    };
  }
  installHub();  // pages whose MathJax config object already exists
  document.addEventListener("DOMContentLoaded", installHub);  // after deferred MathJax 3 loaded
})();
