(** * Reflective checkers, one per certificate kind, and their soundness theorems over the reals.

    Every theorem below has the form [check_K pb θ hints = true -> P (L pb) θ] where [L pb : list R -> R] is the
    real loss of problem [pb] (Loss.v) and [P] is one of the plain statements defined here.  A certificate
    instance file holds only data (the problem's numbers, the point, the hints) and proves [P] by [vm_compute]
    of the boolean check.  Points and hints are rational; distances are the max-norm. *)
From Coq Require Import List QArith Qabs Qreals Reals Lra.
From Spurious Require Import Loss Poly1 Taylor.
Import ListNotations.
Local Open Scope R_scope.

(** ** The statements *)

(** θ' lies within ε of θ in every coordinate. *)
Definition near (th' : list R) (th : list Q) (eps : R) : Prop :=
  length th' = length th /\ Forall2 (fun a b => Rabs (a - Q2R b) < eps) th' th.

(** θ + t·v. *)
Definition along (th : list Q) (v : list R) (t : R) : list R := shift th (map (Rmult t) v).

(** ∇L(θ) = 0: every directional derivative at θ is 0. *)
Definition critical (f : list R -> R) (th : list Q) : Prop :=
  forall v, length v = length th -> derivable_pt_lim (fun t => f (along th v t)) 0 0.

(** Points arbitrarily close to θ with lower (higher) value. *)
Definition lower_nearby (f : list R -> R) (th : list Q) : Prop :=
  forall eps, 0 < eps -> exists th', near th' th eps /\ f th' < f (map Q2R th).
Definition higher_nearby (f : list R -> R) (th : list Q) : Prop :=
  forall eps, 0 < eps -> exists th', near th' th eps /\ f th' > f (map Q2R th).

(** A direction of negative curvature: f(θ + t v) ≤ f(θ) − c t² near t = 0. *)
Definition negative_curvature (f : list R -> R) (th : list Q) : Prop :=
  exists v c delta, length v = length th /\ 0 < c /\ 0 < delta /\
    forall t, Rabs t < delta -> f (along th v t) <= f (map Q2R th) - c * t ^ 2.

(** No direction of negative curvature (the Hessian is positive semi-definite). *)
Definition no_negative_curvature (f : list R -> R) (th : list Q) : Prop :=
  forall v, length v = length th -> forall eps, 0 < eps -> exists delta, 0 < delta /\
    forall t, Rabs t < delta -> f (along th v t) >= f (map Q2R th) - eps * t ^ 2.

Definition strict_saddle (f : list R -> R) (th : list Q) : Prop :=
  critical f th /\ negative_curvature f th /\ lower_nearby f th /\ higher_nearby f th.

Definition non_strict_saddle (f : list R -> R) (th : list Q) : Prop :=
  critical f th /\ no_negative_curvature f th /\ lower_nearby f th /\ higher_nearby f th.

(** A strict local minimum: every other point within δ has a higher value. *)
Definition strict_local_min (f : list R -> R) (th : list Q) : Prop :=
  exists delta, 0 < delta /\ forall th', near th' th delta -> th' <> map Q2R th -> f (map Q2R th) < f th'.

Definition spurious_local_min (f : list R -> R) (th w : list Q) : Prop :=
  strict_local_min f th /\ length w = length th /\ f (map Q2R w) < f (map Q2R th).

Definition global_min (f : list R -> R) (n : nat) (th : list Q) : Prop :=
  length th = n /\ forall th', f (map Q2R th) <= f th'.

(** ** The checks *)

Definition Qlt_bool (a b : Q) : bool := negb (Qle_bool b a).

Definition nparams (pb : problem) : nat :=
  match p_arch pb with
  | DeepLinear ws => fold_left Nat.add (map (fun p => (fst p * snd p)%nat) (combine ws (tl ws))) 0%nat
  | TwoLayer n p dy _ U => (p * n + match U with Some _ => 0 | None => dy * p end)%nat
  end.

Definition taylor (pb : problem) (th : list Q) : tm := loss Tops pb (tm_params th).
Definition qloss (pb : problem) (th : list Q) : Q := loss Qops pb th.

Definition check_critical_tm (pb : problem) (th : list Q) (t : tm) : bool :=
  Nat.eqb (length th) (nparams pb) && vzero (t1 t).
Definition check_critical (pb : problem) (th : list Q) : bool := check_critical_tm pb th (taylor pb th).

(** vᵀAv for a rational v (rows of A zero-padded). *)
Fixpoint qdot (g v : list Q) : Q :=
  match g, v with a :: g', x :: v' => Qred (a * x + qdot g' v') | _, _ => 0%Q end.
Definition qquad (A : list (list Q)) (v : list Q) : Q := qdot (map (fun r => qdot r v) A) v.

(** A sum of squares: A − Σ_k d_k ℓ_k ℓ_kᵀ is the zero matrix and every d_k ≥ 0. *)
Fixpoint sos_matrix (terms : list (Q * list Q)) : list (list Q) :=
  match terms with [] => [] | (d, l) :: r => madd (mscale d (outer l l)) (sos_matrix r) end.
Definition check_sos (A : list (list Q)) (terms : list (Q * list Q)) : bool :=
  forallb (fun dl => Qle_bool 0 (fst dl)) terms && mzero (madd A (mscale (-1) (sos_matrix terms))).
(** μ·I as the squares of the unit vectors. *)
Definition mu_terms (mu : Q) (n : nat) : list (Q * list Q) := map (fun i => (mu, unit i)) (seq 0 n).

Definition curve_polys (th : list Q) (curve : list (list Q)) : list poly :=
  map (fun i => nth i th 0%Q :: map (fun c => nth i c 0%Q) curve) (seq 0 (length th)).
Definition curve_loss (pb : problem) (th : list Q) (curve : list (list Q)) : poly :=
  loss Pops pb (curve_polys th curve).

(** A descent (ascent) curve: the lowest non-zero term a_k t^k of f(t) − f(0) has a_k < 0 (> 0) or k odd. *)
Definition check_descent_curve (pb : problem) (th : list Q) (curve : list (list Q)) : bool :=
  match lowest_term (curve_loss pb th curve) with
  | Some (k, a) => Qlt_bool a 0 || Nat.odd k
  | None => false
  end.
Definition check_ascent_curve (pb : problem) (th : list Q) (curve : list (list Q)) : bool :=
  match lowest_term (curve_loss pb th curve) with
  | Some (k, a) => Qlt_bool 0 a || Nat.odd k
  | None => false
  end.

Inductive ascent := AscentDirection (u : list Q) | AscentCurve (c : list (list Q)).

Definition check_ascent (pb : problem) (th : list Q) (t : tm) (a : ascent) : bool :=
  match a with
  | AscentDirection u => Nat.eqb (length u) (length th) && Qlt_bool 0 (qquad (t2 t) u)
  | AscentCurve c => check_ascent_curve pb th c
  end.

Definition check_strict_saddle (pb : problem) (th v : list Q) (a : ascent) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && Nat.eqb (length v) (length th)
  && Qlt_bool (qquad (t2 t) v) 0 && check_ascent pb th t a.

Definition check_non_strict_saddle (pb : problem) (th : list Q) (psd : list (Q * list Q))
    (descent : list (list Q)) (a : ascent) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && check_sos (t2 t) psd
  && check_descent_curve pb th descent && check_ascent pb th t a.

Definition check_local_min (pb : problem) (th : list Q) (mu : Q) (terms : list (Q * list Q)) : bool :=
  let t := taylor pb th in
  check_critical_tm pb th t && Qlt_bool 0 mu && check_sos (t2 t) (mu_terms mu (length th) ++ terms).

Definition check_spurious_local_min (pb : problem) (th : list Q) (mu : Q) (terms : list (Q * list Q))
    (w : list Q) : bool :=
  check_local_min pb th mu terms && Nat.eqb (length w) (length th) && Qlt_bool (qloss pb w) (qloss pb th).

(** ℓ ≥ 0 on R: square, mse, even powers, and polynomials in e² with non-negative coefficients. *)
Fixpoint even_nonneg (c : list Q) : bool :=
  match c with
  | [] => true
  | [a] => Qle_bool 0 a
  | a :: b :: r => Qle_bool 0 a && Qeq_bool b 0 && even_nonneg r
  end.
Definition fit_nonneg (f : fit) : bool :=
  match f with Square | MSE => true | Power k => Nat.even k | PolyFit c => even_nonneg c end.

Definition check_global_min (pb : problem) (th : list Q) : bool :=
  Nat.eqb (length th) (nparams pb) && fit_nonneg (p_fit pb) && forallb (Qle_bool 0) (p_lam pb)
  && Qeq_bool (qloss pb th) 0.

(** ** Soundness *)

Theorem critical_sound : forall pb th, check_critical pb th = true -> critical (L pb) th.
Admitted.

Theorem strict_saddle_sound : forall pb th v a,
  check_strict_saddle pb th v a = true -> strict_saddle (L pb) th.
Admitted.

Theorem non_strict_saddle_sound : forall pb th psd descent a,
  check_non_strict_saddle pb th psd descent a = true -> non_strict_saddle (L pb) th.
Admitted.

Theorem local_min_sound : forall pb th mu terms,
  check_local_min pb th mu terms = true -> strict_local_min (L pb) th.
Admitted.

Theorem spurious_local_min_sound : forall pb th mu terms w,
  check_spurious_local_min pb th mu terms w = true -> spurious_local_min (L pb) th w.
Admitted.

Theorem global_min_sound : forall pb th,
  check_global_min pb th = true -> global_min (L pb) (nparams pb) th.
Admitted.
