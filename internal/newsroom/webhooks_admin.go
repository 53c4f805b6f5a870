package newsroom

import (
	"net/http"
	"strconv"
	"time"

	"byline/internal/news"
	"byline/internal/webhooks"
)

// WebhooksAdmin is the admin page of webhooks (/admin/webhooks; the
// deliveries are internal/webhooks'); the route table puts it behind
// RequireRole(admin), which also checks CSRF.
type WebhooksAdmin struct {
	svc *webhooks.Service
	ui  *Newsroom
}

// NewWebhooksAdmin builds the page in ui's layout.
func NewWebhooksAdmin(svc *webhooks.Service, ui *Newsroom) *WebhooksAdmin {
	return &WebhooksAdmin{svc: svc, ui: ui}
}

// WebhookEndpoint is an endpoint as the admin page shows it.
type WebhookEndpoint struct {
	ID        int64
	URL       string
	Secret    string // masked
	CreatedAt time.Time
}

// WebhooksPage is the data of the webhooks admin page.
type WebhooksPage struct {
	Endpoints  []WebhookEndpoint
	Deliveries []news.WebhookDelivery
	Error      string
	URL        string
	// NewSecret is shown once, right after an endpoint was added.
	NewSecret string
	NewURL    string
}

func maskSecret(s string) string {
	if len(s) <= 10 {
		return "••••"
	}
	return s[:6] + "••••" + s[len(s)-4:]
}

// List is GET /admin/webhooks.
func (h *WebhooksAdmin) List(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, WebhooksPage{})
}

func (h *WebhooksAdmin) page(w http.ResponseWriter, r *http.Request, status int, p WebhooksPage) {
	ctx := r.Context()
	hooks, err := h.svc.Store().ListWebhooks(ctx)
	if err != nil {
		h.ui.Error(w, r, err)
		return
	}
	for _, x := range hooks {
		p.Endpoints = append(p.Endpoints, WebhookEndpoint{ID: x.ID, URL: x.URL, Secret: maskSecret(x.Secret), CreatedAt: x.CreatedAt})
	}
	if p.Deliveries, err = h.svc.Store().ListDeliveries(ctx, 0, 100); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	h.ui.Render(w, r, "webhooks_list", p)
}

// Add is POST /admin/webhooks (url, secret).
func (h *WebhooksAdmin) Add(w http.ResponseWriter, r *http.Request) {
	hook, err := h.svc.Add(r.Context(), r.PostFormValue("url"), r.PostFormValue("secret"))
	if err != nil {
		if k := news.KindOf(err); k == news.KindInvalid {
			h.page(w, r, http.StatusBadRequest, WebhooksPage{Error: news.PublicMessage(err), URL: r.PostFormValue("url")})
			return
		}
		h.ui.Error(w, r, err)
		return
	}
	h.page(w, r, http.StatusOK, WebhooksPage{NewSecret: hook.Secret, NewURL: hook.URL})
}

// Delete is POST /admin/webhooks/{id}/delete.
func (h *WebhooksAdmin) Delete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.ui.Error(w, r, news.NotFound("webhook"))
		return
	}
	if err := h.svc.Store().DeleteWebhook(r.Context(), id); err != nil {
		h.ui.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/webhooks?done=Endpoint+removed", http.StatusSeeOther)
}
