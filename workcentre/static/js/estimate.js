// The order form asks for an estimated delivery date while the company types (no full solve).
(function () {
  "use strict";
  const form = document.getElementById("order-form");
  if (!form) { return; }
  const out = document.getElementById("estimate");
  const product = document.getElementById("product_name");
  const quantity = document.getElementById("quantity");
  const centre = document.getElementById("centre_id");
  product.setAttribute("list", "catalogue");
  let timer = null;
  function ask() {
    const params = new URLSearchParams({
      centre: centre ? centre.value : "", product: product.value, quantity: quantity.value,
    });
    fetch(form.dataset.estimateUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { text: "" }; })
      .then(function (data) { out.textContent = data.text || ""; })
      .catch(function () { out.textContent = ""; });
  }
  function later() { clearTimeout(timer); timer = setTimeout(ask, 400); }
  [product, quantity, centre].forEach(function (el) {
    if (el) { el.addEventListener("input", later); el.addEventListener("change", later); }
  });
}());
