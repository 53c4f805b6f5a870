package webhooks

import (
	"net/http"
	"strconv"
	"time"

	"byline/internal/news"
)

// Handlers are the admin pages (/admin/webhooks); the server wraps them
// in the newsroom's RequireRole(admin), which also checks CSRF.
type Handlers struct {
	Svc    *Service
	Render func(w http.ResponseWriter, r *http.Request, page string, data any)
	Error  func(w http.ResponseWriter, r *http.Request, err error)
}

// Endpoint is an endpoint as the admin page shows it.
type Endpoint struct {
	ID        int64
	URL       string
	Secret    string // masked
	CreatedAt time.Time
}

// Page is the data of the webhooks admin page.
type Page struct {
	Endpoints  []Endpoint
	Deliveries []news.WebhookDelivery
	Error      string
	URL        string
	// NewSecret is shown once, right after an endpoint was added.
	NewSecret string
	NewURL    string
}

func mask(s string) string {
	if len(s) <= 10 {
		return "••••"
	}
	return s[:6] + "••••" + s[len(s)-4:]
}

// List is GET /admin/webhooks.
func (h *Handlers) List(w http.ResponseWriter, r *http.Request) {
	h.page(w, r, http.StatusOK, Page{})
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request, status int, p Page) {
	ctx := r.Context()
	hooks, err := h.Svc.o.Store.ListWebhooks(ctx)
	if err != nil {
		h.Error(w, r, err)
		return
	}
	for _, x := range hooks {
		p.Endpoints = append(p.Endpoints, Endpoint{ID: x.ID, URL: x.URL, Secret: mask(x.Secret), CreatedAt: x.CreatedAt})
	}
	if p.Deliveries, err = h.Svc.o.Store.ListDeliveries(ctx, 0, 100); err != nil {
		h.Error(w, r, err)
		return
	}
	if status != http.StatusOK {
		w.WriteHeader(status)
	}
	h.Render(w, r, "webhooks_list", p)
}

// Add is POST /admin/webhooks (url, secret).
func (h *Handlers) Add(w http.ResponseWriter, r *http.Request) {
	hook, err := h.Svc.Add(r.Context(), r.PostFormValue("url"), r.PostFormValue("secret"))
	if err != nil {
		if k := news.KindOf(err); k == news.KindInvalid {
			h.page(w, r, http.StatusBadRequest, Page{Error: news.PublicMessage(err), URL: r.PostFormValue("url")})
			return
		}
		h.Error(w, r, err)
		return
	}
	h.page(w, r, http.StatusOK, Page{NewSecret: hook.Secret, NewURL: hook.URL})
}

// Delete is POST /admin/webhooks/{id}/delete.
func (h *Handlers) Delete(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.Error(w, r, news.NotFound("webhook"))
		return
	}
	if err := h.Svc.o.Store.DeleteWebhook(r.Context(), id); err != nil {
		h.Error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/webhooks?done=Endpoint+removed", http.StatusSeeOther)
}
